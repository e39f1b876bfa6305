import { describe, expect, test } from "vitest";
import { buildCommand, formatCommand, type BuildCommand } from "../../src/backends/command.js";
import type { EngineInfo } from "../../src/backends/types.js";
import type { BuildJob } from "../../src/plan/types.js";
import { BUILDX_CONTAINER, BUILDX_DOCKER, DOCKER_20, job } from "./jobs.js";

/** Every field set, so that each flag shows. */
const everything = job({
  target: "production",
  args: { NODE_VERSION: "22", BASE: "acme/base:dev" },
  tags: ["acme/api:dev", "registry.local/api:1.0"],
  labels: { "org.opencontainers.image.source": "https://example.test/acme" },
  platforms: ["linux/amd64"],
  secrets: [
    { id: "npm", file: "/repo/.secrets/npmrc" },
    { id: "token", environment: "GITHUB_TOKEN" },
  ],
  ssh: ["default"],
  network: "host",
  extraHosts: ["db:10.0.0.5"],
  shmSize: "256m",
  ulimits: { nofile: { soft: 1024, hard: 2048 } },
  noCache: true,
  pull: true,
  cacheFrom: ["type=registry,ref=registry.local/api:cache"],
  cacheTo: ["type=inline"],
});

const common = [
  "-f",
  "/repo/api/Dockerfile",
  "--target",
  "production",
  "--build-arg",
  "NODE_VERSION=22",
  "--build-arg",
  "BASE=acme/base:dev",
  "-t",
  "acme/api:dev",
  "-t",
  "registry.local/api:1.0",
  "--label",
  "org.opencontainers.image.source=https://example.test/acme",
  "--platform",
  "linux/amd64",
  "--secret",
  "id=npm,src=/repo/.secrets/npmrc",
  "--secret",
  "id=token,env=GITHUB_TOKEN",
  "--ssh",
  "default",
  "--network",
  "host",
  "--add-host",
  "db:10.0.0.5",
  "--shm-size",
  "256m",
  "--ulimit",
  "nofile=1024:2048",
  "--no-cache",
  "--pull",
];

describe("buildCommand", () => {
  test.each<[string, BuildJob, EngineInfo, string | undefined, BuildCommand]>([
    [
      "the smallest job, docker backend",
      job(),
      DOCKER_20,
      undefined,
      {
        file: "/usr/bin/docker",
        args: ["build", "--progress=plain", "-f", "/repo/api/Dockerfile", "-t", "acme/api:dev", "/repo/api"],
        env: { DOCKER_BUILDKIT: "1" },
        warnings: [],
      },
    ],
    [
      "the smallest job, buildx",
      job(),
      BUILDX_CONTAINER,
      undefined,
      {
        file: "docker",
        args: [
          "buildx",
          "build",
          "--progress=plain",
          "-f",
          "/repo/api/Dockerfile",
          "-t",
          "acme/api:dev",
          "--load",
          "/repo/api",
        ],
        env: {},
        warnings: [],
      },
    ],
    [
      "every field, docker backend: cache from an image, inline cache as a build arg",
      everything,
      DOCKER_20,
      undefined,
      {
        file: "/usr/bin/docker",
        args: [
          "build",
          "--progress=plain",
          ...common,
          "--cache-from",
          "registry.local/api:cache",
          "--build-arg",
          "BUILDKIT_INLINE_CACHE=1",
          "/repo/api",
        ],
        env: { DOCKER_BUILDKIT: "1" },
        warnings: [],
      },
    ],
    [
      "every field, buildx",
      everything,
      BUILDX_CONTAINER,
      undefined,
      {
        file: "docker",
        args: [
          "buildx",
          "build",
          "--progress=plain",
          ...common,
          "--cache-from",
          "type=registry,ref=registry.local/api:cache",
          "--cache-to",
          "type=inline",
          "--load",
          "/repo/api",
        ],
        env: {},
        warnings: [],
      },
    ],
    [
      "not loaded (a --stage run): no tags, no --load",
      job({ load: false, target: "test" }),
      BUILDX_CONTAINER,
      undefined,
      {
        file: "docker",
        args: [
          "buildx",
          "build",
          "--progress=plain",
          "-f",
          "/repo/api/Dockerfile",
          "--target",
          "test",
          "/repo/api",
        ],
        env: {},
        warnings: [],
      },
    ],
    [
      "an inline Dockerfile goes on stdin",
      job({ dockerfile: undefined, dockerfileInline: "FROM scratch\nCOPY . /\n" }),
      DOCKER_20,
      undefined,
      {
        file: "/usr/bin/docker",
        args: ["build", "--progress=plain", "-f", "-", "-t", "acme/api:dev", "/repo/api"],
        env: { DOCKER_BUILDKIT: "1" },
        stdin: "FROM scratch\nCOPY . /\n",
        warnings: [],
      },
    ],
    [
      "a rewritten Dockerfile goes on stdin; image contexts are not flags on Docker 20.10",
      job({ namedContexts: { base: { kind: "image", ref: "acme/base:dev", service: "base" } } }),
      DOCKER_20,
      "FROM base\n",
      {
        file: "/usr/bin/docker",
        args: ["build", "--progress=plain", "-f", "-", "-t", "acme/api:dev", "/repo/api"],
        env: { DOCKER_BUILDKIT: "1" },
        stdin: "FROM acme/base:dev\n",
        warnings: [],
      },
    ],
    [
      "named contexts as flags where the engine has them",
      job({
        namedContexts: {
          base: { kind: "image", ref: "acme/base:dev", service: "base" },
          assets: { kind: "path", path: "/repo/assets" },
        },
      }),
      BUILDX_DOCKER,
      undefined,
      {
        file: "docker",
        args: [
          "buildx",
          "build",
          "--progress=plain",
          "-f",
          "/repo/api/Dockerfile",
          "-t",
          "acme/api:dev",
          "--build-context",
          "base=docker-image://acme/base:dev",
          "--build-context",
          "assets=/repo/assets",
          "--load",
          "/repo/api",
        ],
        env: {},
        warnings: [],
      },
    ],
    [
      "privileged and entitlements: --allow on buildx",
      job({ privileged: true, entitlements: ["security.insecure", "network.host"] }),
      BUILDX_CONTAINER,
      undefined,
      {
        file: "docker",
        args: [
          "buildx",
          "build",
          "--progress=plain",
          "-f",
          "/repo/api/Dockerfile",
          "-t",
          "acme/api:dev",
          "--allow",
          "security.insecure",
          "--allow",
          "network.host",
          "--load",
          "/repo/api",
        ],
        env: {},
        warnings: [],
      },
    ],
    [
      "what the docker backend cannot do is named, service and key",
      job({
        privileged: true,
        entitlements: ["network.host"],
        platforms: ["linux/amd64", "linux/arm64"],
        cacheFrom: ["type=local,src=/tmp/cache", "acme/api:cache"],
        cacheTo: ["type=registry,ref=registry.local/api:cache,mode=max"],
        secrets: [{ id: "orphan" }],
      }),
      DOCKER_20,
      undefined,
      {
        file: "/usr/bin/docker",
        args: [
          "build",
          "--progress=plain",
          "-f",
          "/repo/api/Dockerfile",
          "-t",
          "acme/api:dev",
          "--platform",
          "linux/amd64",
          "--cache-from",
          "acme/api:cache",
          "/repo/api",
        ],
        env: { DOCKER_BUILDKIT: "1" },
        warnings: [
          "service api: build.platforms lists linux/amd64, linux/arm64; the docker backend builds one platform: building linux/amd64 only",
          "service api: build.secrets orphan has neither a file nor an environment variable; not passed",
          "service api: build.privileged is not supported by the docker backend (`docker build` has no --allow); ignored",
          "service api: build.entitlements network.host: the docker backend (`docker build`) has no --allow; ignored",
          "service api: build.cache_from type=local,src=/tmp/cache: the docker backend imports cache from images only; ignored",
          "service api: build.cache_to type=registry,ref=registry.local/api:cache,mode=max: the docker backend cannot export cache (only type=inline); ignored",
        ],
      },
    ],
    [
      "cache export on the buildx docker driver: inline only",
      job({ cacheTo: ["type=local,dest=/tmp/cache", "type=inline"] }),
      BUILDX_DOCKER,
      undefined,
      {
        file: "docker",
        args: [
          "buildx",
          "build",
          "--progress=plain",
          "-f",
          "/repo/api/Dockerfile",
          "-t",
          "acme/api:dev",
          "--cache-to",
          "type=inline",
          "--load",
          "/repo/api",
        ],
        env: {},
        warnings: [
          "service api: build.cache_to type=local,dest=/tmp/cache: the buildx docker driver exports only inline cache " +
            "(others need the containerd image store or a docker-container builder: `docker buildx create --use`); ignored",
        ],
      },
    ],
    [
      "a folder context on Docker 20.10 is reported",
      job({ namedContexts: { assets: { kind: "path", path: "/repo/assets" } } }),
      DOCKER_20,
      undefined,
      {
        file: "/usr/bin/docker",
        args: ["build", "--progress=plain", "-f", "/repo/api/Dockerfile", "-t", "acme/api:dev", "/repo/api"],
        env: { DOCKER_BUILDKIT: "1" },
        warnings: [
          "service api: build.additional_contexts.assets: the path context /repo/assets cannot be passed to the docker " +
            "backend (Docker client 20.10.24+dfsg1, engine 20.10.24+dfsg1), which has no named contexts (they need " +
            "buildx 0.8 on BuildKit 0.10); only image contexts can be honored there, by rewriting the Dockerfile",
        ],
      },
    ],
  ])("%s", (_name, input, engine, dockerfileText, expected) => {
    const planned = dockerfileText === undefined ? input : { ...input, dockerfileText };
    expect(buildCommand(planned, engine, { progress: "plain" })).toEqual(expected);
  });

  test("a secret's value never reaches argv, env or stdin: only its id and where to find it", () => {
    const value = "s3cr3t-value-of-the-token";
    const cmd = buildCommand(
      job({
        secrets: [
          { id: "token", environment: "GITHUB_TOKEN" },
          { id: "npm", file: "/run/npmrc" },
        ],
      }),
      DOCKER_20,
      { progress: "plain" },
    );
    expect(JSON.stringify(cmd)).not.toContain(value);
    expect(cmd.args).toContain("id=token,env=GITHUB_TOKEN");
  });
});

describe("formatCommand", () => {
  test.each([
    [
      { file: "docker", args: ["buildx", "build", "--label", "a=b c", "/repo"], env: {} },
      "docker buildx build --label 'a=b c' /repo",
    ],
    [
      {
        file: "/usr/bin/docker",
        args: ["build", "-f", "-", "/repo"],
        env: { DOCKER_BUILDKIT: "1" },
        stdin: "FROM x",
      },
      "DOCKER_BUILDKIT=1 /usr/bin/docker build -f - /repo # Dockerfile text on stdin",
    ],
    [
      { file: "docker", args: ["build", "--build-arg", "MSG=it's"], env: {} },
      "docker build --build-arg 'MSG=it'\\''s'",
    ],
  ])("%j", (cmd, expected) => {
    expect(formatCommand(cmd)).toBe(expected);
  });
});
