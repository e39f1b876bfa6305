import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, test } from "vitest";
import { detectEngine, resetEngineCache } from "../../src/backends/detect.js";
import { detectionKey, isCacheable, type DetectionFacts } from "../../src/backends/detection-cache.js";
import { readEngineFixture } from "./engine-fixture.js";
import { capturedAnswer, startFakeEngine, type FakeEngine } from "./fake-engine.js";
import { writeFakeDocker } from "./fake-docker.js";

const root = mkdtempSync(path.join(tmpdir(), "dockbuild-detection-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BUILDX_VERSION = "github.com/docker/buildx v0.10.5 86bdced\n";
const INSPECT =
  "Name:   default\nDriver: docker\n\nNodes:\nName:     default\nEndpoint: default\nStatus:   running\nBuildkit: 20.10.24+dfsg1\n";

/** A buildx plugin in `dir` that answers `version` and `inspect` as the client's plugin does, recording its calls. */
function writeFakePlugin(dir: string, version = BUILDX_VERSION): string {
  mkdirSync(dir, { recursive: true });
  const plugin = path.join(dir, "docker-buildx");
  writeFileSync(path.join(dir, "version.out"), version);
  writeFileSync(path.join(dir, "inspect.out"), INSPECT);
  writeFileSync(
    plugin,
    [
      "#!/bin/sh",
      `printf '%s\\n' "$*" >> '${dir}/calls'`,
      `case "$1" in version) /bin/cat '${dir}/version.out' ;; inspect) /bin/cat '${dir}/inspect.out' ;; *) exit 64 ;; esac`,
      "",
    ].join("\n"),
  );
  chmodSync(plugin, 0o755);
  return plugin;
}

const lines = (file: string) => {
  try {
    return readFileSync(file, "utf8").trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
};

describe("engine detection kept in the state folder", () => {
  let dir: string;
  let engine: FakeEngine;
  let env: Record<string, string>;
  let client: string;
  let config: string;

  beforeEach(async () => {
    resetEngineCache();
    dir = mkdtempSync(path.join(root, "case-"));
    config = path.join(dir, "config");
    client = path.join(dir, "client");
    writeFakeDocker(client, {
      version: { stdout: readEngineFixture("version-client20-engine20.json") },
      buildx: { version: BUILDX_VERSION, inspect: INSPECT },
    });
    writeFakePlugin(path.join(config, "cli-plugins"));
    engine = await startFakeEngine(path.join(dir, "engine.sock"), {
      "/version": capturedAnswer("api-version.txt"),
    });
    env = {
      PATH: client,
      DOCKER_HOST: `unix://${dir}/engine.sock`,
      DOCKER_CONFIG: config,
      DOCKBUILD_STATE_DIR: path.join(dir, "state"),
    };
  });
  afterEach(async () => engine.close());

  const clientCalls = () => lines(path.join(client, "calls")).length;
  const pluginCalls = () => lines(path.join(config, "cli-plugins", "calls"));
  const detectAgain = () => {
    resetEngineCache();
    return detectEngine({ env });
  };

  test("asks the client once, then answers from the state folder with no process at all", async () => {
    const first = await detectEngine({ env });
    expect(first).toEqual({
      backend: "buildx",
      dockerBinary: "docker",
      clientVersion: "20.10.24+dfsg1",
      serverVersion: "20.10.24+dfsg1",
      buildxVersion: "0.10.5",
      buildxDriver: "docker",
      buildkitVersion: undefined,
      namedContexts: false,
      buildxPlugin: path.join(config, "cli-plugins", "docker-buildx"),
      socket: path.join(dir, "engine.sock"),
    });
    // the plugin is asked directly, once it is known to be the client's
    expect(pluginCalls()).toEqual(["version", "inspect"]);
    const spawned = clientCalls();
    expect(await detectAgain()).toEqual(first);
    expect(clientCalls()).toBe(spawned);
    expect(pluginCalls()).toHaveLength(2);
    expect(engine.asked.filter((p) => p === "/version")).toHaveLength(2);
  });

  test.each([
    {
      name: "the engine was upgraded",
      change: (f: FakeEngine) => {
        const answer = capturedAnswer("api-version.txt");
        f.answers["/version"] = { ...answer, body: answer.body.replaceAll("20.10.24+dfsg1", "20.10.25") };
      },
    },
    {
      name: "the plugin was replaced",
      change: () => writeFileSync(path.join(config, "cli-plugins", "docker-buildx"), "#!/bin/sh\nexit 1\n"),
    },
    {
      name: "another builder was chosen",
      change: () => mkdirSync(path.join(config, "buildx", "instances"), { recursive: true }),
    },
    { name: "config.json changed", change: () => writeFileSync(path.join(config, "config.json"), "{}") },
    {
      name: "the state file is corrupt",
      change: () => writeFileSync(path.join(dir, "state", "engine-detection.json"), "{"),
    },
  ])("asks the client again when $name", async ({ change }) => {
    await detectEngine({ env });
    const spawned = clientCalls();
    change(engine);
    await detectAgain();
    expect(clientCalls()).toBeGreaterThan(spawned);
  });

  test("asks the client again when BUILDX_BUILDER or DOCKER_CONTEXT differ", async () => {
    await detectEngine({ env });
    const spawned = clientCalls();
    resetEngineCache();
    await detectEngine({ env: { ...env, BUILDX_BUILDER: "default" } });
    expect(clientCalls()).toBeGreaterThan(spawned);
  });

  test("does not use the plugin directly when it is not the one the client runs", async () => {
    writeFakePlugin(path.join(config, "cli-plugins"), "github.com/docker/buildx v0.9.0 other\n");
    const info = await detectEngine({ env });
    expect(info.buildxPlugin).toBeUndefined();
    expect(info.buildxVersion).toBe("0.10.5");
  });

  test("keeps nothing where the engine does not answer on a socket", async () => {
    await engine.close();
    const info = await detectEngine({ env });
    expect(info.socket).toBeUndefined();
    const spawned = clientCalls();
    await detectAgain();
    expect(clientCalls()).toBeGreaterThan(spawned);
  });

  test("an engine named by -H unix://… is asked on that socket and kept; the plugin is not run directly", async () => {
    const elsewhere = { ...env, DOCKER_HOST: "tcp://127.0.0.1:9" };
    const clientArgs = ["-H", `unix://${dir}/engine.sock`];
    const first = await detectEngine({ env: elsewhere, clientArgs });
    expect(first).toMatchObject({ socket: path.join(dir, "engine.sock"), clientArgs });
    expect(first.buildxPlugin).toBeUndefined();
    expect(pluginCalls()).toEqual([]);
    const spawned = clientCalls();
    resetEngineCache();
    expect(await detectEngine({ env: elsewhere, clientArgs })).toEqual(first);
    expect(clientCalls()).toBe(spawned);
    // the same engine reached through a Docker context is asked through the client
    resetEngineCache();
    const viaContext = await detectEngine({ env: elsewhere, clientArgs: ["--context", "b2"] });
    expect(viaContext.socket).toBeUndefined();
    expect(clientCalls()).toBeGreaterThan(spawned);
  });
});

describe("detectionKey and isCacheable", () => {
  const facts: DetectionFacts = {
    dockerBinary: "docker",
    backend: "auto",
    env: { DOCKER_HOST: undefined },
    client: ["/usr/bin/docker", "1:2:3"],
    config: ["none", undefined],
    plugins: [["/p/docker-buildx", "4:5:6"]],
    builders: [undefined, "none"],
    clientArgs: [],
  };
  const engine = { socket: "/var/run/docker.sock", version: "20.10.24", apiVersion: "1.41", build: "x" };

  test("is the same for the same facts, and differs when any of them does", () => {
    expect(detectionKey(facts, engine)).toBe(detectionKey({ ...facts }, { ...engine }));
    const variants = [
      detectionKey({ ...facts, backend: "buildx" }, engine),
      detectionKey({ ...facts, client: ["/usr/bin/docker", "1:2:4"] }, engine),
      detectionKey({ ...facts, plugins: [["/p/docker-buildx", "none"]] }, engine),
      detectionKey({ ...facts, builders: ['{"Key":"x"}', "none"] }, engine),
      detectionKey({ ...facts, env: { DOCKER_HOST: "unix:///x" } }, engine),
      detectionKey({ ...facts, clientArgs: ["-H", "unix:///x"] }, engine),
      detectionKey(facts, { ...engine, version: "20.10.25" }),
      detectionKey(facts, { ...engine, socket: "/run/docker.sock" }),
    ];
    expect(new Set([detectionKey(facts, engine), ...variants]).size).toBe(variants.length + 1);
  });

  test("keeps the docker backend and the docker driver, never a builder with its own BuildKit", () => {
    const base = { dockerBinary: "docker", clientVersion: "1", serverVersion: "1", namedContexts: false };
    expect(isCacheable({ ...base, backend: "docker" })).toBe(true);
    expect(isCacheable({ ...base, backend: "buildx", buildxDriver: "docker" })).toBe(true);
    expect(isCacheable({ ...base, backend: "buildx", buildxDriver: "docker-container" })).toBe(false);
    expect(isCacheable({ ...base, backend: "buildx", buildxDriver: "remote" })).toBe(false);
  });
});
