import { execSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, test } from "vitest";
import { settle } from "../e2e/helpers/dockbuild.js";
import { pidAlive, waitForOutput, waitUntil } from "../e2e/helpers/extra.js";
import { BIN, DOCKER_20, fakeCli, sendSignal, type Fixture } from "./fake-cli.js";

// What happens around the builds rather than in them, with a fake Docker client (test/fakes/docker-20.sh): a
// reader of the output that goes away, dockbuild killed or its terminal closed, a metadata file that cannot be
// written, time limits, and an engine that is hung or dies. Asserted on the exit code, what a person reads, the
// metadata file, and the processes left behind.

const { project, start, lines, pids, waitForPids } = fakeCli();

function metadata(file: string): Record<string, { status: string; reason?: string; error?: string[] }> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<
    string,
    { status: string; reason?: string; error?: string[] }
  >;
}

/** `dockbuild ARGS | READER` in bash: what the reader printed, and dockbuild's own exit status and stderr. */
async function piped(fixture: Fixture, args: string[], reader: string) {
  const result = await execa(
    "bash",
    [
      "-c",
      `"$@" 2>"$STDERR_FILE" | ${reader}; exit "\${PIPESTATUS[0]}"`,
      "bash",
      process.execPath,
      BIN,
      ...args,
    ],
    {
      cwd: fixture.dir,
      env: {
        DOCKBUILD_DOCKER: DOCKER_20,
        FAKE_DOCKER_STATE: fixture.state,
        NO_COLOR: "1",
        STDERR_FILE: path.join(fixture.state, "stderr"),
      },
      stdin: "ignore",
      reject: false,
      timeout: 18_000,
    },
  );
  return {
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: readFileSync(path.join(fixture.state, "stderr"), "utf8"),
  };
}

describe("a reader that goes away (closed stdout)", () => {
  test.each([["ls"], ["plan"], ["plan", "--json"]])(
    "`dockbuild %s` into a pipe already closed: exit 141, no error printed",
    async (...args) => {
      const fixture = project(Array.from({ length: 1 }, () => "ok" as const));
      const result = await piped(fixture, args, "true");
      expect([result.exitCode, result.stderr]).toEqual([141, ""]);
    },
  );

  test("`dockbuild ls | head -1` with 300 services: the first line, then a quiet end", async () => {
    const fixture = project(["ok"]);
    const services = Array.from(
      { length: 300 },
      (_, i) => `  s${i}:\n    image: fake-ok-${i}\n    build: ./ok`,
    );
    writeFileSync(path.join(fixture.dir, "docker-compose.yml"), `services:\n${services.join("\n")}\n`);
    const result = await piped(fixture, ["ls"], "head -1");
    expect(result.stdout).toMatch(/^SERVICE +TARGET +STAGES$/);
    // All 300 lines may fit in the pipe before `head` leaves (0), or not (141): never a crash.
    expect([0, 141], result.stderr).toContain(result.exitCode);
    expect(result.stderr).toBe("");
  });

  test("`dockbuild all | head -1`: the builds are stopped, the metadata file written, exit 141", async () => {
    const fixture = project(["hang"]);
    const metadataFile = path.join(fixture.dir, "metadata.json");
    const result = await piped(
      fixture,
      ["all", "--progress", "plain", "--metadata-file", metadataFile],
      "head -1",
    );

    expect(result.exitCode, result.stderr).toBe(141);
    expect(result.stdout).toBe("hang | started");
    expect(result.stderr).toMatch(
      /^dockbuild: stdout was closed \(whatever read dockbuild's output stopped reading\): running builds were stopped$/m,
    );
    expect(result.stderr).not.toMatch(/internal error|EPIPE|\n\s+at /);
    expect(metadata(metadataFile)).toMatchObject({ hang: { status: "cancelled" } });
    expect(lines(fixture, "calls").filter((c) => c.startsWith("build "))).toHaveLength(1);
    // The build was stopped at the first line it printed, maybe before it could say its pids.
    for (const pid of pids(fixture, "hanging"))
      expect(pidAlive(pid), `pid ${pid} was left running`).toBe(false);
  });
});

describe("dockbuild killed, or its terminal closed", () => {
  test("SIGKILL: the build client learns of it from the kernel and ends within seconds", async () => {
    const fixture = project(["hang"]);
    const child = start(fixture, DOCKER_20, ["hang", "--progress", "plain"]);
    const [client] = await waitForPids(fixture, "hanging");
    expect(pidAlive(client ?? 0)).toBe(true);

    sendSignal(child, "SIGKILL");
    const result = await settle(child);
    expect(result.signal).toBe("SIGKILL");
    const ended = await waitUntil(() => !pidAlive(client ?? 0), 5_000);
    expect(ended, `the client ${client} outlived dockbuild`).toBe(true);
  });

  test("SIGHUP (the terminal closed) stops like SIGTERM: builds stopped, exit 130", async () => {
    const fixture = project(["hang"]);
    const child = start(fixture, DOCKER_20, ["hang", "--progress", "plain"]);
    const hanging = await waitForPids(fixture, "hanging");
    sendSignal(child, "SIGHUP");
    const result = await settle(child);

    expect([result.exitCode, result.signal], result.all).toEqual([130, undefined]);
    for (const pid of hanging) expect(pidAlive(pid), `pid ${pid} was left running`).toBe(false);
    expect(result.stderr).toMatch(/^dockbuild: interrupted: running builds were stopped$/m);
  });
});

describe("a metadata file that cannot be written", () => {
  const outside = mkdtempSync(path.join(os.tmpdir(), "dockbuild-metadata-"));
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  const refused = async (place: string, why: string) => {
    const fixture = project(["ok"]);
    const result = await settle(start(fixture, DOCKER_20, ["all", "--metadata-file", place]));
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain(`dockbuild: the metadata file ${place} cannot be written: ${why}\n`);
    expect(result.stderr).toMatch(/^ {2}hint: /m);
    expect(lines(fixture, "calls").filter((c) => c.startsWith("build "))).toEqual([]);
  };

  test("a folder in its place: exit 2 before anything is built", async () => {
    await refused(outside, `${outside} is a folder`);
  });

  test("under a file: exit 2 before anything is built", async () => {
    const file = path.join(outside, "a-file");
    writeFileSync(file, "");
    await refused(path.join(file, "sub", "metadata.json"), `${file} is a file, not a folder`);
  });

  test.skipIf(process.getuid?.() !== 0)(
    "on a read-only file system (a read-only mount, which even root cannot write): exit 2 (mounting needs root: skipped for other users; CI runs as root)",
    async () => {
      const mount = path.join(outside, "read-only");
      mkdirSync(mount);
      execSync(`mount -t tmpfs -o ro,size=1m dockbuild-ro ${mount}`);
      try {
        await refused(
          path.join(mount, "metadata.json"),
          `no file can be created in ${mount}: read-only file system`,
        );
      } finally {
        execSync(`umount ${mount}`);
      }
    },
  );

  test("a write that fails after the builds is said plainly and keeps the builds' exit code (1)", async () => {
    const fixture = project(["fail"]);
    const folder = path.join(fixture.dir, "out");
    mkdirSync(folder);
    const child = start(fixture, DOCKER_20, ["all", "--metadata-file", path.join(folder, "m.json")], {
      FAKE_DOCKER_FAIL_SLEEP: "3",
    });
    // Once the build runs, the folder becomes a file: the check before the run passed, the write cannot.
    const building = await waitUntil(
      () => lines(fixture, "calls").some((c) => c.startsWith("build ")),
      10_000,
    );
    expect(building).toBe(true);
    rmSync(folder, { recursive: true });
    writeFileSync(folder, "");
    const result = await settle(child);

    expect(result.exitCode, result.all).toBe(1);
    expect(result.stderr).toMatch(/^dockbuild: the metadata file .*m\.json could not be written: /m);
    expect(result.stderr).toMatch(/^dockbuild: build failed: fail$/m);
    expect(result.stderr).not.toMatch(/internal error/);
  });
});

describe("time limits", () => {
  test("--timeout: a build that runs longer is stopped and fails, saying why (exit 1)", async () => {
    const fixture = project(["hang"]);
    const metadataFile = path.join(fixture.dir, "metadata.json");
    const result = await settle(
      start(fixture, DOCKER_20, ["all", "--timeout", "1s", "--metadata-file", metadataFile]),
    );

    expect(result.exitCode, result.all).toBe(1);
    expect(result.stderr).toContain("stopped: hang ran longer than its time limit of 1.0s (timeout)");
    expect(result.stderr).toMatch(/^dockbuild: build failed: hang$/m);
    expect(metadata(metadataFile).hang).toMatchObject({
      status: "failed",
      error: expect.arrayContaining(["stopped: hang ran longer than its time limit of 1.0s (timeout)"]),
    });
    for (const pid of pids(fixture, "hanging"))
      expect(pidAlive(pid), `pid ${pid} was left running`).toBe(false);
  });

  test("the config's `timeout` works the same, and a flag overrides it", async () => {
    const fixture = project(["hang"]);
    writeFileSync(path.join(fixture.dir, "dockbuild.config.yml"), "timeout: 1\n");
    const result = await settle(start(fixture, DOCKER_20, ["all"]));
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stderr).toContain("stopped: hang ran longer than its time limit of 1.0s (timeout)");
  });

  test("a bad duration is bad input (exit 2)", async () => {
    const fixture = project(["ok"]);
    const result = await settle(start(fixture, DOCKER_20, ["all", "--timeout", "soon"]));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'dockbuild: --timeout takes a duration such as 90s, 10m or 1h30m, not "soon"\n',
    );
  });

  test("--stall-warning: a build silent for that long is reported, with whether the engine answers", async () => {
    const fixture = project(["hang"]);
    const child = start(fixture, DOCKER_20, ["all", "--progress", "plain", "--stall-warning", "1s"]);
    const said = await waitForOutput(child, /warning: hang: no output for .*\n/, 10_000);
    sendSignal(child, "SIGTERM");
    await settle(child);
    expect(said).toMatch(
      /^warning: hang: no output for 1\.0s; the engine answers \(a step that prints nothing while it works\?\)$/m,
    );
  });
});

describe("an engine that is hung or dies", () => {
  test("hung before the run: within seconds, exit 3 naming the socket where nothing answers", async () => {
    const fixture = project(["ok"]);
    const started = Date.now();
    const result = await settle(
      start(fixture, DOCKER_20, ["all"], {
        FAKE_DOCKER_VERSION_SLEEP: "30",
        DOCKER_HOST: "unix:///tmp/dockbuild-hung.sock",
      }),
    );
    expect(result.exitCode, result.all).toBe(3);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stderr).toContain(
      `dockbuild: Nothing answers on unix:///tmp/dockbuild-hung.sock: the Docker engine there gave ${DOCKER_20} no reply within 1.5 s (it is stopped or hung)\n`,
    );
    expect(result.stderr).toMatch(/^ {2}hint: Start the engine/m);
    for (const pid of pids(fixture, "version-waiting")) expect(pidAlive(pid)).toBe(false);
  });

  test("gone mid-run: exit 3 naming it, every job's status and the reason in the metadata", async () => {
    const fixture = project(["dies", "hang"]);
    const metadataFile = path.join(fixture.dir, "metadata.json");
    const result = await settle(
      start(fixture, DOCKER_20, [
        "all",
        "-j",
        "2",
        "--keep-going",
        "--progress",
        "plain",
        "--metadata-file",
        metadataFile,
      ]),
    );

    expect(result.exitCode, result.all).toBe(3);
    const reason =
      "the Docker engine at unix:///var/run/docker.sock stopped answering (Cannot connect to the Docker daemon at " +
      "unix:///var/run/docker.sock. Is the docker daemon running?)";
    expect(result.stderr).toContain(
      `dockbuild: ${reason.replace(" (Cannot", " during the run (Cannot").replace("running?)", "running?);")} 2 of 2 builds did not finish\n`,
    );
    const written = metadata(metadataFile);
    expect(written.dies).toMatchObject({ status: "failed", reason });
    expect(["failed", "cancelled"]).toContain(written.hang?.status);
    expect(written.hang?.reason).toBe(reason);
    for (const pid of pids(fixture, "hanging"))
      expect(pidAlive(pid), `pid ${pid} was left running`).toBe(false);
  });
});
