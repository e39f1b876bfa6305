import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { BUSYBOX_IMAGE, makeTempProject, settle, startDockbuild } from "./helpers/index.js";
import { nonce, processesMatching, readMetadata, waitForOutput, waitUntil } from "./helpers/extra.js";
import { startSecondEngine, type SecondEngine } from "./helpers/second-engine.js";

// The engine fails under a run: killed in the middle, stopped (SIGSTOP) before or during it, or not there at
// all. Each test has an engine of its own (its own socket, data root and bridge), since it kills or stops it.

let engine: SecondEngine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

async function ownEngine(): Promise<SecondEngine> {
  engine = await startSecondEngine({ bridge: "dbk7", address: "10.217.7.1/24" });
  await engine.buildBusyboxImage();
  return engine;
}

/** Two services whose RUN prints a stamped line and sleeps, and one built FROM the first. */
async function sleepyProject(name: string, sleep: number) {
  const prefix = `dbe2e-faults-${name}-${nonce(3)}`;
  const stamp = nonce();
  const sleeper = (service: string) =>
    `FROM ${BUSYBOX_IMAGE}\nRUN echo "${service}-sleeps-""${stamp}" && sleep ${sleep} && echo "${service}-woke"\n`;
  const dir = await makeTempProject(
    {
      "docker-compose.yml": [
        "services:",
        ...["one", "two", "after"].flatMap((s) => [
          `  ${s}:`,
          `    image: ${prefix}/${s}`,
          `    build: ./${s}`,
        ]),
        "",
      ].join("\n"),
      "one/Dockerfile": sleeper("one"),
      "two/Dockerfile": sleeper("two"),
      "after/Dockerfile": `FROM ${prefix}/one\nRUN echo after\n`,
    },
    { name },
  );
  const bothSleeping = new RegExp(
    `one-sleeps-${stamp}[\\s\\S]*two-sleeps-${stamp}|two-sleeps-${stamp}[\\s\\S]*one-sleeps-${stamp}`,
  );
  return { prefix, stamp, dir, metadataFile: path.join(dir, "metadata.json"), bothSleeping };
}

describe("the engine killed in the middle of a run", () => {
  test("exit 3 naming the engine's socket; every job's status, with the reason, in the metadata", async () => {
    const own = await ownEngine();
    const { dir, metadataFile, bothSleeping, prefix } = await sleepyProject("killed", 20);
    const child = startDockbuild(["all", "-j", "2", "--progress", "plain", "--metadata-file", metadataFile], {
      cwd: dir,
      env: own.env,
    });
    await waitForOutput(child, bothSleeping, 60_000);
    const killedAt = Date.now();
    process.kill(own.pid, "SIGKILL");
    const run = await settle(child);
    const tookMs = Date.now() - killedAt;
    console.log(`engine killed: dockbuild ended ${tookMs} ms later with exit ${run.exitCode}`);

    expect(run.exitCode, run.all).toBe(3);
    expect(tookMs).toBeLessThan(15_000);
    const reason = new RegExp(
      `^the Docker engine at ${own.host} stopped answering \\(Cannot connect to the Docker daemon at ${own.host}\\. Is the docker daemon running\\?\\)$`,
    );
    expect(run.stderr).toMatch(
      new RegExp(
        `^dockbuild: the Docker engine at ${own.host} stopped answering during the run \\(.*\\); 3 of 3 builds did not finish$`,
        "m",
      ),
    );
    expect(run.stderr).toMatch(/^ {2}hint: Start the engine again/m);
    const metadata = await readMetadata(metadataFile);
    for (const service of ["one", "two"]) {
      expect(["failed", "cancelled"], service).toContain(metadata[service]?.status);
      expect(metadata[service]?.reason, service).toMatch(reason);
    }
    expect(metadata.after).toMatchObject({ status: "cancelled" });
    expect(metadata.after?.reason).toMatch(reason);
    expect(await processesMatching(`-t ${prefix}/`)).toEqual([]);

    // Before the next run: the socket is still there, nothing listens; said at once, naming it.
    const startedAt = Date.now();
    const next = await settle(startDockbuild(["all"], { cwd: dir, env: own.env }));
    expect(next.exitCode, next.all).toBe(3);
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    expect(next.stderr).toContain(
      `Cannot connect to the Docker daemon at ${own.host}. Is the docker daemon running?`,
    );
    expect(next.stderr).toMatch(/^ {2}hint: Start the engine .*setsid dockerd/m);
  });
});

describe("an engine that is stopped (SIGSTOP)", () => {
  test("before the run: within seconds, exit 3 saying that nothing answers on its socket", async () => {
    const own = await ownEngine();
    const { dir } = await sleepyProject("stopped", 1);
    process.kill(own.pid, "SIGSTOP");
    try {
      const startedAt = Date.now();
      const run = await settle(startDockbuild(["all"], { cwd: dir, env: own.env }));
      const tookMs = Date.now() - startedAt;
      console.log(
        `engine stopped before the run: dockbuild said so after ${tookMs} ms (exit ${run.exitCode})`,
      );

      expect(run.exitCode, run.all).toBe(3);
      expect(tookMs).toBeLessThan(10_000);
      expect(run.stderr).toContain(
        `dockbuild: Nothing answers on ${own.host}: the Docker engine there gave ${process.env.DOCKBUILD_DOCKER} no reply within 1.5 s (it is stopped or hung)\n`,
      );
      expect(run.stderr).toMatch(/^ {2}hint: Start the engine .*kill -CONT/m);
    } finally {
      process.kill(own.pid, "SIGCONT");
    }
  });

  test("during the run: a warning when builds go silent, then --timeout fails them; nothing tagged after", async () => {
    const own = await ownEngine();
    const { dir, metadataFile, bothSleeping, prefix, stamp } = await sleepyProject("hung", 60);
    const child = startDockbuild(
      [
        "all",
        "-j",
        "2",
        "--progress",
        "plain",
        "--stall-warning",
        "3s",
        "--timeout",
        "12s",
        "--metadata-file",
        metadataFile,
      ],
      { cwd: dir, env: own.env },
    );
    await waitForOutput(child, bothSleeping, 60_000);
    process.kill(own.pid, "SIGSTOP");
    let run;
    try {
      const warned = await waitForOutput(child, /^warning: (one|two): no output for 3\.0s; .*$/m, 30_000);
      expect(warned).toMatch(
        new RegExp(
          `^warning: (one|two): no output for 3\\.0s; the engine at ${own.host} does not answer: no answer within 1\\.5 s \\(stopped or hung\\)$`,
          "m",
        ),
      );
      run = await settle(child);
    } finally {
      process.kill(own.pid, "SIGCONT");
    }
    expect(run.exitCode, run.all).toBe(3);
    expect(run.stderr).toMatch(/stopped: (one|two) ran longer than its time limit of 12\.0s \(timeout\)/);
    expect(run.stderr).toMatch(
      new RegExp(
        `^dockbuild: the Docker engine at ${own.host} stopped answering during the run \\(no answer within 1\\.5 s \\(stopped or hung\\)\\)`,
        "m",
      ),
    );
    const metadata = await readMetadata(metadataFile);
    // Both reach the limit together: the first to fail stops the other (fail-fast), which may end cancelled.
    const statuses = [metadata.one?.status, metadata.two?.status];
    expect(statuses).toContain("failed");
    for (const status of statuses) expect(["failed", "cancelled"]).toContain(status);
    expect(metadata.after?.status).toBe("cancelled");

    // Once the engine runs again, it cancels what the killed clients left and tags nothing.
    expect(await processesMatching(`-t ${prefix}/`)).toEqual([]);
    const stepsGone = await waitUntil(async () => (await processesMatching(stamp)).length === 0, 15_000);
    expect(stepsGone, (await processesMatching(stamp)).join("\n")).toBe(true);
    for (const s of ["one", "two", "after"]) {
      const image = await own.tryDocker(["image", "inspect", `${prefix}/${s}`]);
      expect(image.exitCode, s).not.toBe(0);
    }
  });
});

describe("no engine on the socket at all", () => {
  test("a socket that does not exist: exit 3 at once, naming it and how to start an engine", async () => {
    const { dir } = await sleepyProject("nosocket", 1);
    const host = `unix:///tmp/dockbuild-no-engine-${nonce()}.sock`;
    const startedAt = Date.now();
    const run = await settle(startDockbuild(["all"], { cwd: dir, env: { DOCKER_HOST: host } }));
    expect(run.exitCode, run.all).toBe(3);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(run.stderr).toContain(
      `Cannot connect to the Docker daemon at ${host}. Is the docker daemon running?`,
    );
    expect(run.stderr).toContain(`(DOCKER_HOST is ${host})`);
  });
});
