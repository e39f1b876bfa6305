import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { execa, type ResultPromise } from "execa";
import {
  BUSYBOX_IMAGE,
  REPO_ROOT,
  dockerClient,
  imageExists,
  makeTempProject,
  removeImages,
  settle,
  startDockbuild,
} from "./helpers/index.js";
import {
  nonce,
  processesMatching,
  readMetadata,
  startDockbuildInOwnGroup,
  waitForOutput,
  waitUntil,
} from "./helpers/extra.js";

// Ctrl-C, SIGTERM, SIGHUP, SIGKILL and a closed stdout in the middle of real engine builds: every `docker build`
// client gone within seconds, the engine no longer running the interrupted steps, and no image tagged after.

const RUN = `dbe2e-signals-${nonce(3)}`;
afterAll(async () => {
  await removeImages(RUN);
});

type Delivery =
  "to dockbuild's process group (a terminal's Ctrl-C)" | "to dockbuild's pid alone (a CI runner)";

/**
 * Two independent services whose RUN sleeps (a minute unless said), and one built FROM the first. Each step's
 * shell command holds the stamp (the commands after `sleep` keep the shell from exec'ing it), so `ps` finds what
 * the engine still runs for this project; the `docker build` clients are found by the project's image prefix in
 * their argv. `tickAfter`: the steps also print a line that many seconds in.
 */
async function sleepyProject(name: string, options: { sleep?: number; tickAfter?: number } = {}) {
  const prefix = `${RUN}-${name}`;
  const stamp = nonce();
  const tick = options.tickAfter === undefined ? "" : `sleep ${options.tickAfter} && echo ticks && `;
  const sleeper = (service: string) =>
    `FROM ${BUSYBOX_IMAGE}\nRUN echo "${service}-sleeps-""${stamp}" && ${tick}sleep ${options.sleep ?? 60} && echo "${service}-woke-${stamp}"\n`;
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
  return { prefix, stamp, dir, metadataFile: path.join(dir, "metadata.json") };
}

/** Both RUN steps print their line only once the engine runs them (the step's header shows `""`). */
const bothSleeping = (stamp: string) =>
  new RegExp(
    `one-sleeps-${stamp}[\\s\\S]*two-sleeps-${stamp}|two-sleeps-${stamp}[\\s\\S]*one-sleeps-${stamp}`,
  );

/** No docker client is left, and the engine has stopped the steps (none runs its sleep out). */
async function expectNothingLeft(prefix: string, stamp: string, withinMs: number): Promise<void> {
  const clientsGone = await waitUntil(
    async () => (await processesMatching(`-t ${prefix}/`)).length === 0,
    withinMs,
  );
  expect(clientsGone, (await processesMatching(`-t ${prefix}/`)).join("\n")).toBe(true);
  const engineStopped = await waitUntil(async () => (await processesMatching(stamp)).length === 0, 5_000);
  expect(engineStopped, (await processesMatching(stamp)).join("\n")).toBe(true);
}

async function interruptMidBuild(signal: "SIGINT" | "SIGTERM" | "SIGHUP", delivery: Delivery, name: string) {
  const { prefix, stamp, dir, metadataFile } = await sleepyProject(name);
  const args = ["all", "-j", "2", "--progress", "plain", "--metadata-file", metadataFile];
  const inGroup = delivery.startsWith("to dockbuild's process group");
  const child: ResultPromise = inGroup
    ? startDockbuildInOwnGroup(args, { cwd: dir })
    : startDockbuild(args, { cwd: dir });
  const pid = child.pid;
  if (pid === undefined) throw new Error("dockbuild did not start");

  let ended = false;
  try {
    await waitForOutput(child, bothSleeping(stamp), 60_000);
    // What is asserted gone below is there now: two docker clients and the engine's two sleeping steps.
    expect(await processesMatching(`-t ${prefix}/`)).toHaveLength(2);
    expect(await processesMatching(stamp)).toHaveLength(2);

    const sentAt = Date.now();
    process.kill(inGroup ? -pid : pid, signal);
    const run = await settle(child);
    ended = true;
    const tookMs = Date.now() - sentAt;

    expect([run.exitCode, run.signal], run.all).toEqual([130, undefined]);
    expect(tookMs, run.all).toBeLessThan(10_000);
    expect(run.stderr).toMatch(/\(interrupted\)$/m);
    expect(run.stderr).toMatch(/^dockbuild: interrupted: running builds were stopped$/m);
    expect(run.stderr).toMatch(/^one +- +cancelled\b/m);
    expect(run.stderr).toMatch(/^two +- +cancelled\b/m);
    expect(run.stderr).toMatch(/^after +- +cancelled\b/m);
    expect(await readMetadata(metadataFile)).toMatchObject({
      one: { status: "cancelled" },
      two: { status: "cancelled" },
      after: { status: "cancelled" },
    });

    expect(await processesMatching(`-t ${prefix}/`)).toEqual([]);
    await expectNothingLeft(prefix, stamp, 0);
    for (const s of ["one", "two", "after"]) expect(await imageExists(`${prefix}/${s}`), s).toBe(false);
  } finally {
    if (!ended) child.kill("SIGKILL");
  }
}

describe("interrupting a build", () => {
  test("Ctrl-C in a terminal (SIGINT to the process group): exit 130, builds stopped, nothing left", async () => {
    await interruptMidBuild("SIGINT", "to dockbuild's process group (a terminal's Ctrl-C)", "intgroup");
  });

  test("SIGINT to dockbuild alone: exit 130, builds stopped, nothing left", async () => {
    await interruptMidBuild("SIGINT", "to dockbuild's pid alone (a CI runner)", "intpid");
  });

  test("SIGTERM to dockbuild alone: exit 130, builds stopped, nothing left", async () => {
    await interruptMidBuild("SIGTERM", "to dockbuild's pid alone (a CI runner)", "termpid");
  });

  test("SIGHUP (its terminal closed): like SIGTERM, exit 130, builds stopped, nothing left", async () => {
    await interruptMidBuild("SIGHUP", "to dockbuild's pid alone (a CI runner)", "huppid");
  });
});

/**
 * SIGKILL leaves dockbuild no say: its build clients, each in a process group of its own, must learn of its death
 * from the kernel (setpriv --pdeathsig) and end, and the engine must cancel their builds. The steps sleep only
 * a few seconds, so that the test can wait until after they would have finished and see that no image appeared.
 */
async function killMidBuild(delivery: Delivery, name: string) {
  const sleep = 6;
  const { prefix, stamp, dir } = await sleepyProject(name, { sleep });
  const args = ["all", "-j", "2", "--progress", "plain"];
  const inGroup = delivery.startsWith("to dockbuild's process group");
  const child = inGroup ? startDockbuildInOwnGroup(args, { cwd: dir }) : startDockbuild(args, { cwd: dir });
  const pid = child.pid;
  if (pid === undefined) throw new Error("dockbuild did not start");
  try {
    await waitForOutput(child, bothSleeping(stamp), 60_000);
    const sleepingSince = Date.now();
    expect(await processesMatching(`-t ${prefix}/`)).toHaveLength(2);

    process.kill(inGroup ? -pid : pid, "SIGKILL");
    const run = await settle(child);
    expect(run.signal).toBe("SIGKILL");
    await expectNothingLeft(prefix, stamp, 5_000);

    // Past the moment the steps would have ended (and the images been tagged), the engine holds none.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, sleepingSince + (sleep + 4) * 1000 - Date.now())),
    );
    for (const s of ["one", "two", "after"]) expect(await imageExists(`${prefix}/${s}`), s).toBe(false);
  } finally {
    child.kill("SIGKILL");
  }
}

describe("dockbuild killed (SIGKILL): its builds end within seconds, the engine tags nothing", () => {
  test("SIGKILL to dockbuild alone", async () => {
    await killMidBuild("to dockbuild's pid alone (a CI runner)", "killpid");
  });

  test("SIGKILL to dockbuild's whole process group", async () => {
    await killMidBuild("to dockbuild's process group (a terminal's Ctrl-C)", "killgroup");
  });
});

describe("a closed stdout (`dockbuild all | head`)", () => {
  test("the reader leaves while both builds run: stopped at the next line, exit 141, metadata written, nothing left", async () => {
    const { prefix, stamp, dir, metadataFile } = await sleepyProject("epipe", { tickAfter: 2 });
    // A reader that passes lines on until both steps run, then leaves (awk would wait to fill its buffer);
    // the steps' next line ("ticks") finds the pipe closed.
    const reader = `const seen = []; process.stdin.on("data", (d) => { process.stdout.write(d); seen.push(d); const all = seen.join(""); if (all.includes("one-sleeps-${stamp}") && all.includes("two-sleeps-${stamp}")) process.exit(0); });`;
    const bin = path.join(REPO_ROOT, "bin", "dockbuild.js");
    const args = ["all", "-j", "2", "--progress", "plain", "--metadata-file", metadataFile];
    const run = await execa(
      "bash",
      ["-c", `"$@" | "$READER_NODE" -e "$READER"; exit "\${PIPESTATUS[0]}"`, "bash", bin, ...args],
      {
        cwd: dir,
        env: {
          DOCKBUILD_DOCKER: dockerClient(),
          NO_COLOR: "1",
          READER: reader,
          READER_NODE: process.execPath,
        },
        stdin: "ignore",
        reject: false,
        timeout: 120_000,
      },
    );

    expect(run.stdout).toMatch(bothSleeping(stamp));
    expect(run.exitCode, run.stderr).toBe(141);
    expect(run.stderr).toMatch(
      /^dockbuild: stdout was closed \(whatever read dockbuild's output stopped reading\): running builds were stopped$/m,
    );
    expect(run.stderr).not.toMatch(/internal error|EPIPE|\n\s+at /);
    expect(await readMetadata(metadataFile)).toMatchObject({
      one: { status: "cancelled" },
      two: { status: "cancelled" },
      after: { status: "cancelled" },
    });
    await expectNothingLeft(prefix, stamp, 0);
    for (const s of ["one", "two", "after"]) expect(await imageExists(`${prefix}/${s}`), s).toBe(false);
  });
});
