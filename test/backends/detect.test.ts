import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { detectEngine, resetEngineCache } from "../../src/backends/detect.js";
import { DockbuildError } from "../../src/errors.js";
import { readEngineFixture } from "./engine-fixture.js";
import { writeFakeDocker } from "./fake-docker.js";

const root = mkdtempSync(path.join(tmpdir(), "dockbuild-detect-"));
// No engine on a socket and no Docker config of this machine's: only the fake clients answer.
const NO_SOCKET = { DOCKER_HOST: `unix://${root}/no-engine.sock`, DOCKER_CONFIG: `${root}/docker-config` };
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => resetEngineCache());

const client28 = { stdout: readEngineFixture("version-client28-engine20.json") };
const client20 = { stdout: readEngineFixture("version-client20-engine20.json") };
const buildxOnDockerDriver = {
  version: "github.com/docker/buildx v0.12.1 30feaa1\n",
  inspect:
    "Name:   default\nDriver: docker\n\nNodes:\nName:     default\nEndpoint: default\nStatus:   running\n",
};

function calls(dir: string): string[] {
  return readFileSync(path.join(dir, "calls"), "utf8")
    .trim()
    .split("\n")
    .map((l) => l.trim());
}

async function failure(
  promise: Promise<unknown>,
): Promise<Pick<DockbuildError, "code" | "exitCode" | "message" | "hint">> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DockbuildError)) throw new Error(`expected a DockbuildError, got ${String(error)}`);
  return { code: error.code, exitCode: error.exitCode, message: error.message, hint: error.hint };
}

describe("detectEngine with fake Docker clients", () => {
  test("an old client without buildx: the docker backend, two spawns, then cached", async () => {
    const dir = path.join(root, "client20");
    const docker = writeFakeDocker(dir, { version: client20 });
    const env = { PATH: dir, ...NO_SOCKET };
    const engine = await detectEngine({ env });
    expect(engine).toEqual({
      backend: "docker",
      dockerBinary: "docker",
      clientVersion: "20.10.24+dfsg1",
      serverVersion: "20.10.24+dfsg1",
      namedContexts: false,
    });
    expect(await detectEngine({ env })).toBe(engine);
    expect(await detectEngine({ dockerBinary: docker, env })).toEqual({ ...engine, dockerBinary: docker });
    // The two questions run at once: in either order.
    expect(calls(dir).sort()).toEqual([
      "buildx version",
      "buildx version",
      "version --format {{json .}}",
      "version --format {{json .}}",
    ]);
  });

  test("DOCKBUILD_DOCKER picks the client; buildx on the docker driver of a 20.10 engine has no named contexts", async () => {
    const dir = path.join(root, "buildx");
    const docker = writeFakeDocker(dir, { version: client28, buildx: buildxOnDockerDriver });
    expect(await detectEngine({ env: { PATH: "/nowhere", DOCKBUILD_DOCKER: docker, ...NO_SOCKET } })).toEqual(
      {
        backend: "buildx",
        dockerBinary: docker,
        clientVersion: "28.2.2",
        serverVersion: "20.10.24+dfsg1",
        buildxVersion: "0.12.1",
        buildxDriver: "docker",
        buildkitVersion: undefined,
        namedContexts: false,
      },
    );
    expect(calls(dir).slice(0, 2).sort()).toEqual(["buildx version", "version --format {{json .}}"]);
    expect(calls(dir).slice(2)).toEqual(["buildx inspect"]);
  });

  test("a 28 client without buildx: exit 3, and the hint names the other client on PATH", async () => {
    const newer = path.join(root, "newer");
    const older = path.join(root, "older");
    writeFakeDocker(newer, { version: client28 });
    writeFakeDocker(older, { version: client20 });
    expect(await failure(detectEngine({ env: { PATH: `${newer}:${older}` } }))).toEqual({
      code: "NO_ENGINE",
      exitCode: 3,
      message: `${newer}/docker (Docker client 28.2.2) has no buildx plugin, and Docker clients from 23.0 on refuse BuildKit builds without it`,
      hint:
        "Install the buildx plugin (https://docs.docker.com/go/buildx/), or point dockbuild at a Docker client that builds " +
        "with BuildKit itself (older than 23.0) with DOCKBUILD_DOCKER=/path/to/docker or the config key `docker`. " +
        `${older}/docker (Docker client 20.10.24+dfsg1) is one: DOCKBUILD_DOCKER=${older}/docker.`,
    });
  });

  test("no engine answers: the client's own words, and how to start one", async () => {
    const dir = path.join(root, "no-daemon");
    writeFakeDocker(dir, {
      version: {
        stdout: readEngineFixture("version-no-daemon.json"),
        stderr: readEngineFixture("version-no-daemon.stderr.txt"),
        exitCode: 1,
      },
    });
    const env = { PATH: dir, DOCKER_HOST: "unix:///tmp/dockbuild-no-daemon.sock" };
    expect(await failure(detectEngine({ env }))).toEqual({
      code: "NO_ENGINE",
      exitCode: 3,
      message:
        `The Docker engine did not answer ${dir}/docker (Docker client 28.2.2): Cannot connect to the Docker daemon at ` +
        "unix:///tmp/dockbuild-no-daemon.sock. Is the docker daemon running?",
      hint:
        "Start the engine (as root: `setsid dockerd >dockerd.log 2>&1 &`, or `systemctl start docker`) and wait until " +
        "`docker info` answers, or set DOCKER_HOST to an engine that runs (DOCKER_HOST is unix:///tmp/dockbuild-no-daemon.sock).",
    });
  });

  test("a missing binary", async () => {
    expect(
      await failure(detectEngine({ dockerBinary: "/nonexistent/docker", env: { PATH: "/nowhere" } })),
    ).toEqual({
      code: "NO_ENGINE",
      exitCode: 3,
      message: "The Docker client /nonexistent/docker could not be run: not found",
      hint: "Install Docker, or point dockbuild at another Docker client with DOCKBUILD_DOCKER=/path/to/docker or the config key `docker`.",
    });
  });

  test("a failure is not cached: the next call asks again", async () => {
    const dir = path.join(root, "later");
    await failure(detectEngine({ env: { PATH: dir } }));
    writeFakeDocker(dir, { version: client20 });
    expect((await detectEngine({ env: { PATH: dir } })).backend).toBe("docker");
  });
});
