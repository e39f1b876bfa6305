import { describe, expect, test } from "vitest";
import { bakeDefinition, bakeTargetOf, escapeTemplate } from "../../src/backends/bake-target.js";
import { buildCommand, buildxInvocation, ignoresGitInfo } from "../../src/backends/command.js";
import type { EngineInfo } from "../../src/backends/types.js";
import type { BuildJob } from "../../src/plan/types.js";
import { BUILDX_DOCKER, job } from "./jobs.js";

/** buildx 0.10 on the docker driver of a 20.10 engine, run directly: what this machine has. */
const BUILDX_20: EngineInfo = {
  ...BUILDX_DOCKER,
  clientVersion: "20.10.24+dfsg1",
  serverVersion: "20.10.24+dfsg1",
  buildxVersion: "0.10.5",
  buildkitVersion: undefined,
  namedContexts: false,
  buildxPlugin: "/cfg/cli-plugins/docker-buildx",
};

const target = (j: BuildJob, engine = BUILDX_DOCKER) =>
  bakeTargetOf(buildCommand(j, engine, { progress: "plain" }));

describe("bakeTargetOf: the bake target that builds what the build command builds", () => {
  test("every flag bake can express", () => {
    const everything = job({
      target: "production",
      args: { NODE_VERSION: "22", EQ: "a=b" },
      tags: ["acme/api:dev", "registry.local/api:1.0"],
      labels: { "org.opencontainers.image.source": "https://example.test/acme" },
      platforms: ["linux/amd64", "linux/arm64"],
      namedContexts: { assets: { kind: "image", ref: "acme/assets:dev", service: "assets" } },
      secrets: [
        { id: "npm", file: "/repo/.secrets/npmrc" },
        { id: "token", environment: "GITHUB_TOKEN" },
      ],
      ssh: ["default"],
      noCache: true,
      pull: true,
      cacheFrom: ["type=registry,ref=registry.local/api:cache"],
      cacheTo: ["type=inline"],
    });
    expect(target(everything)).toEqual({
      context: "/repo/api",
      dockerfile: "/repo/api/Dockerfile",
      target: "production",
      args: { NODE_VERSION: "22", EQ: "a=b" },
      tags: ["acme/api:dev", "registry.local/api:1.0"],
      labels: { "org.opencontainers.image.source": "https://example.test/acme" },
      platforms: ["linux/amd64", "linux/arm64"],
      contexts: { assets: "docker-image://acme/assets:dev" },
      secret: ["id=npm,src=/repo/.secrets/npmrc", "id=token,env=GITHUB_TOKEN"],
      ssh: ["default"],
      "no-cache": true,
      pull: true,
      "cache-from": ["type=registry,ref=registry.local/api:cache"],
      "cache-to": ["type=inline"],
      output: ["type=docker"],
    });
  });

  test("a stage build that keeps no image has no output and no tags", () => {
    expect(target(job({ load: false, target: "test" }))).toEqual({
      context: "/repo/api",
      dockerfile: "/repo/api/Dockerfile",
      target: "test",
    });
  });

  test("a Dockerfile on stdin becomes dockerfile-inline", () => {
    const inline = job({ dockerfile: undefined, dockerfileInline: "FROM scratch\nCOPY . /\n" });
    expect(target(inline)).toMatchObject({
      context: "/repo/api",
      "dockerfile-inline": "FROM scratch\nCOPY . /\n",
    });
    expect(target(inline)).not.toHaveProperty("dockerfile");
  });

  test.each<[string, Partial<BuildJob>]>([
    ["network", { network: "host" }],
    ["extra hosts", { extraHosts: ["db:10.0.0.5"] }],
    ["shm size", { shmSize: "256m" }],
    ["ulimits", { ulimits: { nofile: { soft: 1, hard: 2 } } }],
    ["privileged", { privileged: true }],
    ["entitlements", { entitlements: ["network.host"] }],
  ])("none for what bake 0.10 cannot say: %s", (_name, over) => {
    expect(target(job(over))).toBeUndefined();
  });

  test("none for a docker backend command", () => {
    expect(bakeTargetOf({ args: ["build", "--progress=plain", "-t", "x", "/ctx"] })).toEqual({
      context: "/ctx",
      tags: ["x"],
    });
    expect(bakeTargetOf({ args: ["image", "ls"] })).toBeUndefined();
  });
});

describe("bakeDefinition", () => {
  test("JSON whose every string bake reads back as written: no ${…} or %{…} interpolated", () => {
    const definition = bakeDefinition(
      new Map([
        ["dockbuild-0", { context: "/a", args: { "K${X}": "v ${HOME} %{ if x } $$ 100%" }, tags: ["t"] }],
        ["dockbuild-1", { context: "/b" }],
      ]),
    );
    expect(JSON.parse(definition)).toEqual({
      target: {
        "dockbuild-0": { context: "/a", args: { "K$${X}": "v $${HOME} %%{ if x } $$ 100%" }, tags: ["t"] },
        "dockbuild-1": { context: "/b" },
      },
    });
    expect(escapeTemplate("a${b}${c}%{d}")).toBe("a$${b}$${c}%%{d}");
  });
});

describe("ignoresGitInfo: git facts a builder's BuildKit cannot use", () => {
  test.each([
    { name: "the docker driver of a 20.10 engine", engine: BUILDX_20, ignores: true },
    {
      name: "the docker driver of a 28 engine",
      engine: { ...BUILDX_20, serverVersion: "28.2.2" },
      ignores: false,
    },
    { name: "BuildKit 0.10", engine: { ...BUILDX_20, buildkitVersion: "0.10.6" }, ignores: true },
    { name: "BuildKit 0.16", engine: BUILDX_DOCKER, ignores: false },
  ])("$name: $ignores", ({ engine, ignores }) => {
    expect(ignoresGitInfo(engine)).toBe(ignores);
    expect(buildCommand(job(), engine, { progress: "plain" }).env).toEqual(
      ignores ? { BUILDX_GIT_INFO: "0" } : {},
    );
  });

  test("the plugin is run directly when detection found the client's", () => {
    const command = buildCommand(job(), BUILDX_20, { progress: "plain" });
    expect([command.file, ...command.args.slice(0, 2)]).toEqual([
      "/cfg/cli-plugins/docker-buildx",
      "build",
      "--progress=plain",
    ]);
  });

  test("a builder of its own: --builder goes to the plugin run directly, client flags keep the client", () => {
    const named = { ...BUILDX_20, buildxBuilder: "b2" };
    const command = buildCommand(job(), named, { progress: "plain" });
    expect([command.file, ...command.args.slice(0, 3)]).toEqual([
      "/cfg/cli-plugins/docker-buildx",
      "build",
      "--builder",
      "b2",
    ]);
    // the plugin run directly reads no client flags: a builder reached through them is asked through the client
    const elsewhere = { ...named, clientArgs: ["--context", "b2ctx"] };
    const viaClient = buildCommand(job(), elsewhere, { progress: "plain" });
    expect([viaClient.file, ...viaClient.args.slice(0, 6)]).toEqual([
      BUILDX_20.dockerBinary,
      "--context",
      "b2ctx",
      "buildx",
      "build",
      "--builder",
      "b2",
    ]);
    expect(buildxInvocation(elsewhere, "bake")).toEqual({
      file: BUILDX_20.dockerBinary,
      args: ["--context", "b2ctx", "buildx", "bake", "--builder", "b2"],
      env: { BUILDX_GIT_INFO: "0" },
    });
    expect(buildxInvocation(named, "bake").args).toEqual(["bake", "--builder", "b2"]);
    // the bake names the builder itself: the target is the same as without one
    expect(bakeTargetOf(viaClient)).toEqual(
      bakeTargetOf(buildCommand(job(), BUILDX_20, { progress: "plain" })),
    );
  });
});
