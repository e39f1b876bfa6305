import path from "node:path";
import { describe, expect, test } from "vitest";
import { settle } from "../e2e/helpers/dockbuild.js";
import { pidAlive } from "../e2e/helpers/extra.js";
import { CLIENT_20_DIR, DOCKER_20, DOCKER_28, VERSION_ERROR, fakeCli, sendSignal } from "./fake-cli.js";

// The built CLI (`node bin/dockbuild.js`) against fake Docker clients (test/fakes/): what the real engine cannot
// stage on demand — a build that never ends, an engine that answers `docker version` with an error, a newer
// client without buildx. Asserted on the exit code, what a person reads, and the processes left behind.

const { project, start, lines, pids, waitForPids } = fakeCli();

describe("stopping builds that never end", () => {
  test("fail-fast: another service's failure stops the hanging build and its whole process group", async () => {
    const fixture = project(["hang", "fail"]);
    const started = Date.now();
    const result = await settle(start(fixture, DOCKER_20, ["all", "-j", "2", "--progress", "plain"]));
    const tookMs = Date.now() - started;

    expect(result.exitCode, result.all).toBe(1);
    expect(tookMs).toBeLessThan(10_000);
    expect(lines(fixture, "calls").filter((c) => c.startsWith("build "))).toHaveLength(2);
    const hanging = pids(fixture, "hanging");
    expect(hanging).toHaveLength(2);
    for (const pid of hanging) expect(pidAlive(pid), `pid ${pid} was left running`).toBe(false);
    expect(result.stderr).toMatch(/^hang +- +cancelled\b/m);
    expect(result.stderr).toMatch(/^fail +- +failed\b/m);
    // The engine's last error lines, from the captured BuildKit output the fake printed.
    expect(result.stderr).toContain("    error: module b is broken\n");
    expect(result.stderr).toMatch(/^dockbuild: build failed: fail$/m);
  });

  test("SIGTERM: the hanging build and the step it waits for are stopped, exit 130", async () => {
    const fixture = project(["hang"]);
    const child = start(fixture, DOCKER_20, ["hang", "--progress", "plain"]);
    const hanging = await waitForPids(fixture, "hanging");
    const sentAt = Date.now();
    sendSignal(child, "SIGTERM");
    const result = await settle(child);

    expect([result.exitCode, result.signal], result.all).toEqual([130, undefined]);
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    for (const pid of hanging) expect(pidAlive(pid), `pid ${pid} was left running`).toBe(false);
    expect(result.stderr).toMatch(/^hang +- +cancelled\b/m);
    expect(result.stderr).toMatch(/^dockbuild: interrupted: running builds were stopped$/m);
  });

  test("a build that ignores SIGTERM is killed after the grace period, still exit 130", async () => {
    const fixture = project(["hang"]);
    const child = start(fixture, DOCKER_20, ["hang", "--progress", "plain"], {
      FAKE_DOCKER_IGNORE_TERM: "1",
    });
    const hanging = await waitForPids(fixture, "hanging");
    const sentAt = Date.now();
    sendSignal(child, "SIGTERM");
    const result = await settle(child);

    expect([result.exitCode, result.signal], result.all).toEqual([130, undefined]);
    expect(Date.now() - sentAt).toBeLessThan(12_000);
    for (const pid of hanging) expect(pidAlive(pid), `pid ${pid} was left running`).toBe(false);
  });

  test("SIGTERM while the engine is still being detected: exit 130, the `docker version` child stopped", async () => {
    const fixture = project(["ok"]);
    const child = start(fixture, DOCKER_20, ["ok", "--progress", "plain"], {
      FAKE_DOCKER_VERSION_SLEEP: "30",
    });
    const waiting = await waitForPids(fixture, "version-waiting");
    sendSignal(child, "SIGTERM");
    const result = await settle(child);

    expect([result.exitCode, result.signal], result.all).toEqual([130, undefined]);
    for (const pid of waiting) expect(pidAlive(pid), `pid ${pid} was left running`).toBe(false);
    expect(lines(fixture, "calls").filter((c) => c.startsWith("build "))).toEqual([]);
  });
});

describe("no usable engine: exit 3 with the reason, before anything is built", () => {
  test("the engine answers `docker version` with an error: that error, and how to start an engine", async () => {
    const fixture = project(["ok"]);
    const result = await settle(start(fixture, VERSION_ERROR, ["all", "--progress", "plain"]));

    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain(
      `dockbuild: The Docker engine did not answer ${VERSION_ERROR} (Docker client 28.2.2): ` +
        "Error response from daemon: client version 1.50 is too new. Maximum supported API version is 1.41\n",
    );
    expect(result.stderr).toMatch(/^ {2}hint: Start the engine .*docker info/m);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    // asked about the engine, built nothing (`buildx version`, asked at once, is stopped when no engine answers)
    expect(lines(fixture, "calls").filter((c) => c !== "buildx version")).toEqual([
      "version --format {{json .}}",
    ]);
  });

  test("a client that prints no version at all: what it printed", async () => {
    const fixture = project(["ok"]);
    const error = "panic: runtime error: invalid memory address or nil pointer dereference";
    const result = await settle(
      start(fixture, VERSION_ERROR, ["all"], { FAKE_DOCKER_VERSION: "garbage", FAKE_DOCKER_ERROR: error }),
    );

    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain(
      `dockbuild: The Docker client ${VERSION_ERROR} could not be run: ${error}\n`,
    );
    expect(result.stderr).toMatch(/^ {2}hint: .*DOCKBUILD_DOCKER=/m);
    // asked about the engine, built nothing (`buildx version`, asked at once, is stopped when no engine answers)
    expect(lines(fixture, "calls").filter((c) => c !== "buildx version")).toEqual([
      "version --format {{json .}}",
    ]);
  });

  test("a Docker 28 client without buildx: the buildx explanation, naming DOCKBUILD_DOCKER and a client that works", async () => {
    const fixture = project(["ok"]);
    const result = await settle(
      start(fixture, DOCKER_28, ["all", "--progress", "plain"], {
        PATH: [CLIENT_20_DIR, "/usr/bin", "/bin"].join(path.delimiter),
      }),
    );

    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain(
      `dockbuild: ${DOCKER_28} (Docker client 28.2.2) has no buildx plugin, and Docker clients from 23.0 on refuse ` +
        "BuildKit builds without it\n",
    );
    const hint = /^ {2}hint: (.*)$/m.exec(result.stderr)?.[1] ?? "";
    expect(hint).toContain("DOCKBUILD_DOCKER=/path/to/docker");
    const alternative = path.join(CLIENT_20_DIR, "docker");
    expect(hint).toContain(
      `${alternative} (Docker client 20.10.24+dfsg1) is one: DOCKBUILD_DOCKER=${alternative}.`,
    );
    expect(lines(fixture, "calls").filter((c) => c.startsWith("build "))).toEqual([]);
  });
});
