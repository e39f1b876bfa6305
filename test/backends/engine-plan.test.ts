import { describe, expect, test } from "vitest";
import {
  parseBuildxInspect,
  parseBuildxVersion,
  parseDockerVersion,
  planEngine,
  type EngineProbe,
} from "../../src/backends/engine-plan.js";
import { readEngineFixture } from "./engine-fixture.js";

describe("parseDockerVersion", () => {
  test.each([
    ["version-client28-engine20.json", { clientVersion: "28.2.2", serverVersion: "20.10.24+dfsg1" }],
    ["version-client20-engine20.json", { clientVersion: "20.10.24+dfsg1", serverVersion: "20.10.24+dfsg1" }],
    ["version-no-daemon.json", { clientVersion: "28.2.2", serverVersion: undefined }],
  ])("%s", (file, expected) => {
    expect(parseDockerVersion(readEngineFixture(file))).toEqual(expected);
  });

  test.each([
    ["", {}],
    ["Client:\n Version: 28.2.2", {}],
    ['{"Client": 3}', {}],
    ['{"Client":{"Version":"27.0.1"}}', { clientVersion: "27.0.1", serverVersion: undefined }],
  ])("unreadable or partial output %j", (stdout, expected) => {
    expect(parseDockerVersion(stdout)).toEqual(expected);
  });
});

describe("parseBuildxVersion", () => {
  test.each([
    [
      "github.com/docker/buildx v0.12.1-desktop.4 6996841df2f61988c2794d84d33205368f96c317\n",
      "0.12.1-desktop.4",
    ],
    ["github.com/docker/buildx v0.11.2 9872040\n", "0.11.2"],
    ["github.com/docker/buildx 0.10.5+ds1 0.10.5+ds1\n", "0.10.5+ds1"],
    [readEngineFixture("buildx-missing-client28.stderr.txt"), undefined],
    [readEngineFixture("buildx-missing-client20.stderr.txt"), undefined],
    ["", undefined],
  ])("%j", (stdout, expected) => {
    expect(parseBuildxVersion(stdout)).toEqual(expected);
  });
});

describe("parseBuildxInspect", () => {
  const running = [
    "Name:          ci",
    "Driver:        docker-container",
    "Last Activity: 2024-03-01 10:00:00 +0000 UTC",
    "",
    "Nodes:",
    "Name:      ci0",
    "Endpoint:  unix:///var/run/docker.sock",
    "Status:    running",
    "Buildkit:  v0.12.5",
    "Platforms: linux/amd64, linux/386",
  ].join("\n");
  const inactive = [
    "Name:   ci",
    "Driver: docker-container",
    "",
    "Nodes:",
    "Name:      ci0",
    "Status:    inactive",
  ].join("\n");
  const dockerDriver = [
    "Name:   default",
    "Driver: docker",
    "",
    "Nodes:",
    "Name:     default",
    "Buildkit: N/A",
  ].join("\n");
  test.each([
    [
      "a running container builder",
      running,
      { driver: "docker-container", buildkitVersion: "0.12.5", endpoint: "unix:///var/run/docker.sock" },
    ],
    ["a builder not started yet", inactive, { driver: "docker-container", buildkitVersion: undefined }],
    ["the docker driver on an old engine", dockerDriver, { driver: "docker", buildkitVersion: undefined }],
    ["nothing", "", { driver: undefined, buildkitVersion: undefined }],
  ])("%s", (_name, stdout, expected) => {
    expect(parseBuildxInspect(stdout)).toEqual(expected);
  });
});

describe("planEngine", () => {
  const probe = (over: Partial<EngineProbe>): EngineProbe => ({
    dockerBinary: "docker",
    resolvedBinary: "/usr/local/bin/docker",
    clientVersion: "28.2.2",
    serverVersion: "20.10.24+dfsg1",
    alternatives: [],
    ...over,
  });
  const client20 = { clientVersion: "20.10.24+dfsg1", resolvedBinary: "/usr/bin/docker" };
  const engine20 = {
    dockerBinary: "docker",
    clientVersion: "20.10.24+dfsg1",
    serverVersion: "20.10.24+dfsg1",
  };

  test.each([
    [
      "an old client without buildx builds with BuildKit itself",
      probe(client20),
      "auto",
      { ok: true, engine: { ...engine20, backend: "docker", namedContexts: false } },
    ],
    [
      "buildx on the docker driver of a 20.10 engine: no named contexts",
      probe({ buildx: { version: "0.12.1", driver: "docker" } }),
      "auto",
      {
        ok: true,
        engine: {
          dockerBinary: "docker",
          clientVersion: "28.2.2",
          serverVersion: "20.10.24+dfsg1",
          backend: "buildx",
          buildxVersion: "0.12.1",
          buildxDriver: "docker",
          buildkitVersion: undefined,
          namedContexts: false,
        },
      },
    ],
    [
      "buildx on the docker driver of a 24.0 engine",
      probe({ serverVersion: "24.0.7", buildx: { version: "0.11.2", driver: "docker" } }),
      "auto",
      {
        ok: true,
        engine: {
          dockerBinary: "docker",
          clientVersion: "28.2.2",
          serverVersion: "24.0.7",
          backend: "buildx",
          buildxVersion: "0.11.2",
          buildxDriver: "docker",
          buildkitVersion: undefined,
          namedContexts: true,
        },
      },
    ],
    [
      "buildx 0.7 has no --build-context",
      probe({ buildx: { version: "0.7.1", driver: "docker-container", buildkitVersion: "0.12.5" } }),
      "auto",
      {
        ok: true,
        engine: {
          dockerBinary: "docker",
          clientVersion: "28.2.2",
          serverVersion: "20.10.24+dfsg1",
          backend: "buildx",
          buildxVersion: "0.7.1",
          buildxDriver: "docker-container",
          buildkitVersion: "0.12.5",
          namedContexts: false,
        },
      },
    ],
    [
      "BuildKit 0.9 in a container builder",
      probe({ buildx: { version: "0.12.0", driver: "docker-container", buildkitVersion: "0.9.3" } }),
      "auto",
      {
        ok: true,
        engine: {
          dockerBinary: "docker",
          clientVersion: "28.2.2",
          serverVersion: "20.10.24+dfsg1",
          backend: "buildx",
          buildxVersion: "0.12.0",
          buildxDriver: "docker-container",
          buildkitVersion: "0.9.3",
          namedContexts: false,
        },
      },
    ],
    [
      "the docker backend asked for, with buildx present",
      probe({ ...client20, buildx: { version: "0.12.0", driver: "docker" } }),
      "docker",
      { ok: true, engine: { ...engine20, backend: "docker", namedContexts: false } },
    ],
  ])("%s", (_name, input, requested, expected) => {
    expect(planEngine(input, requested as "auto" | "docker")).toEqual(expected);
  });

  test.each([
    [
      "a 28 client without buildx, another client on PATH",
      probe({ alternatives: [{ path: "/usr/bin/docker", clientVersion: "20.10.24+dfsg1" }] }),
      "auto",
      {
        ok: false,
        reason: "client-refuses-buildkit",
        message:
          "/usr/local/bin/docker (Docker client 28.2.2) has no buildx plugin, and Docker clients from 23.0 on refuse BuildKit builds without it",
        hint:
          "Install the buildx plugin (https://docs.docker.com/go/buildx/), or point dockbuild at a Docker client that builds " +
          "with BuildKit itself (older than 23.0) with DOCKBUILD_DOCKER=/path/to/docker or the config key `docker`. " +
          "/usr/bin/docker (Docker client 20.10.24+dfsg1) is one: DOCKBUILD_DOCKER=/usr/bin/docker.",
      },
    ],
    [
      "a 28 client without buildx, no other client",
      probe({}),
      "auto",
      {
        ok: false,
        reason: "client-refuses-buildkit",
        message:
          "/usr/local/bin/docker (Docker client 28.2.2) has no buildx plugin, and Docker clients from 23.0 on refuse BuildKit builds without it",
        hint:
          "Install the buildx plugin (https://docs.docker.com/go/buildx/), or point dockbuild at a Docker client that builds " +
          "with BuildKit itself (older than 23.0) with DOCKBUILD_DOCKER=/path/to/docker or the config key `docker`.",
      },
    ],
    [
      "the docker backend forced on a 28 client",
      probe({ buildx: { version: "0.12.0" } }),
      "docker",
      {
        ok: false,
        reason: "client-refuses-buildkit",
        message:
          "The docker backend was asked for, but /usr/local/bin/docker (Docker client 28.2.2) refuses BuildKit builds without the buildx plugin, as Docker clients from 23.0 on do",
        hint:
          "Install the buildx plugin (https://docs.docker.com/go/buildx/), or point dockbuild at a Docker client that builds " +
          "with BuildKit itself (older than 23.0) with DOCKBUILD_DOCKER=/path/to/docker or the config key `docker`.",
      },
    ],
    [
      "the buildx backend forced without the plugin",
      probe(client20),
      "buildx",
      {
        ok: false,
        reason: "no-buildx",
        message:
          "/usr/bin/docker (Docker client 20.10.24+dfsg1) has no buildx plugin, and the buildx backend was asked for",
        hint: "Install the buildx plugin (https://docs.docker.com/go/buildx/), or use the backend `auto` or `docker` with a Docker client older than 23.0.",
      },
    ],
    [
      "no engine answers",
      probe({
        serverVersion: undefined,
        serverError: readEngineFixture("version-no-daemon.stderr.txt"),
        dockerHost: "unix:///tmp/dockbuild-no-daemon.sock",
      }),
      "auto",
      {
        ok: false,
        reason: "no-server",
        message:
          "The Docker engine did not answer /usr/local/bin/docker (Docker client 28.2.2): Cannot connect to the Docker daemon at unix:///tmp/dockbuild-no-daemon.sock. Is the docker daemon running?",
        hint:
          "Start the engine (as root: `setsid dockerd >dockerd.log 2>&1 &`, or `systemctl start docker`) and wait until " +
          "`docker info` answers, or set DOCKER_HOST to an engine that runs (DOCKER_HOST is unix:///tmp/dockbuild-no-daemon.sock).",
      },
    ],
    [
      "an engine that is stopped or hung: nothing answers on its socket",
      probe({
        clientVersion: undefined,
        serverVersion: undefined,
        silentEngine: { endpoint: "unix:///var/run/docker.sock", waitedMs: 2000 },
      }),
      "auto",
      {
        ok: false,
        reason: "no-server",
        message:
          "Nothing answers on unix:///var/run/docker.sock: the Docker engine there gave /usr/local/bin/docker no reply within 2 s (it is stopped or hung)",
        hint:
          "Start the engine (as root: `setsid dockerd >dockerd.log 2>&1 &`, or `systemctl start docker`) and wait until " +
          "`docker info` answers (a stopped one: `kill -CONT` its dockerd, or restart it), or set DOCKER_HOST to an engine that runs.",
      },
    ],
    [
      "the client binary is missing",
      probe({
        resolvedBinary: undefined,
        dockerBinary: "/opt/nowhere/docker",
        spawnError: "ENOENT",
        clientVersion: undefined,
      }),
      "auto",
      {
        ok: false,
        reason: "no-client",
        message: "The Docker client /opt/nowhere/docker could not be run: not found",
        hint: "Install Docker, or point dockbuild at another Docker client with DOCKBUILD_DOCKER=/path/to/docker or the config key `docker`.",
      },
    ],
  ])("%s", (_name, input, requested, expected) => {
    expect(planEngine(input, requested as "auto" | "docker" | "buildx")).toEqual(expected);
  });
});
