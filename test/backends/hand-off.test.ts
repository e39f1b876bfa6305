import { describe, expect, test } from "vitest";
import { builderTarget, engineArgsForEndpoint } from "../../src/backends/builder-target.js";
import { buildCommand, dockerfileOnStdin, type HandOff } from "../../src/backends/command.js";
import { pushCommands } from "../../src/backends/push.js";
import { BUILDX_CONTAINER, BUILDX_DOCKER, DOCKER_20, job } from "./jobs.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const BASE_IN_REGISTRY = `127.0.0.1:5000/acme-build/base:ih-1234@${DIGEST}`;
const TEXT = [
  "ARG BASE=acme/base:dev",
  "FROM ${BASE} AS deps",
  "RUN --mount=type=cache,target=/cache true",
  "FROM deps AS production",
  "COPY --from=acme/base:dev /etc/os-release /base-release",
  "COPY --from=assets /dist /srv",
  "",
].join("\n");
const app = job({
  dockerfileText: TEXT,
  args: { BASE: "acme/base:dev" },
  namedContexts: { assets: { kind: "image", ref: "acme/assets:dev", service: "assets" } },
});
const handOff: HandOff = {
  images: { "acme/base:dev": BASE_IN_REGISTRY },
  contexts: { assets: `127.0.0.1:5000/acme-build/assets:ih-99@${DIGEST}` },
  tags: ["127.0.0.1:5000/acme-build/api:ih-5678"],
};

describe("an attempt that reads upstream images from the registry", () => {
  test("rewrites FROM (after ARG expansion), COPY --from and the named context by digest, nothing else", () => {
    expect(dockerfileOnStdin(app, DOCKER_20, handOff)).toBe(
      [
        "ARG BASE=acme/base:dev",
        `FROM ${BASE_IN_REGISTRY} AS deps`,
        "RUN --mount=type=cache,target=/cache true",
        "FROM deps AS production",
        `COPY --from=${BASE_IN_REGISTRY} /etc/os-release /base-release`,
        `COPY --from=127.0.0.1:5000/acme-build/assets:ih-99@${DIGEST} /dist /srv`,
        "",
      ].join("\n"),
    );
  });

  test("sends that text on stdin and gives the result its registry tag", () => {
    const command = buildCommand(app, DOCKER_20, { progress: "plain", handOff });
    expect(command.args).toEqual([
      "build",
      "--progress=plain",
      "-f",
      "-",
      "--build-arg",
      "BASE=acme/base:dev",
      "-t",
      "acme/api:dev",
      "-t",
      "127.0.0.1:5000/acme-build/api:ih-5678",
      "/repo/api",
    ]);
    expect(command.stdin).toContain(`FROM ${BASE_IN_REGISTRY} AS deps`);
  });

  test("on an engine with named contexts the context flag names the registry image", () => {
    const command = buildCommand(app, BUILDX_CONTAINER, { progress: "plain", handOff });
    expect(command.args).toContain(`assets=docker-image://127.0.0.1:5000/acme-build/assets:ih-99@${DIGEST}`);
    expect(command.stdin).toContain(`FROM ${BASE_IN_REGISTRY} AS deps`);
  });

  test("without a hand-off the job renders as it always did", () => {
    const plain = job({ dockerfileText: "FROM acme/base:dev\n" });
    expect(dockerfileOnStdin(plain, DOCKER_20)).toBeUndefined();
    expect(buildCommand(plain, DOCKER_20, { progress: "plain" }).args).toEqual(
      buildCommand(plain, DOCKER_20, { progress: "plain", handOff: { images: {}, contexts: {}, tags: [] } })
        .args,
    );
  });
});

describe("a builder's engine", () => {
  test.each([
    [
      "docker:unix",
      { kind: "docker", host: "unix:///run/b2.sock" } as const,
      { clientArgs: ["-H", "unix:///run/b2.sock"] },
    ],
    ["docker:ssh", { kind: "docker", host: "ssh://ci@far" } as const, { clientArgs: ["-H", "ssh://ci@far"] }],
    [
      "docker-context",
      { kind: "docker-context", context: "remote1" } as const,
      { clientArgs: ["--context", "remote1"] },
    ],
    [
      "buildx",
      { kind: "buildx", builder: "k8s-pool" } as const,
      { buildxBuilder: "k8s-pool", backend: "buildx" },
    ],
  ])("%s", (_name, endpoint, expected) => {
    expect(builderTarget(endpoint)).toEqual(expected);
  });

  test.each([
    ["dbkctx", ["--context", "dbkctx"]],
    ["unix:///var/run/docker.sock", ["-H", "unix:///var/run/docker.sock"]],
    ["tcp://10.0.0.5:2376", ["-H", "tcp://10.0.0.5:2376"]],
  ])("a buildx docker-driver endpoint %s", (endpoint, expected) => {
    expect(engineArgsForEndpoint(endpoint)).toEqual(expected);
  });

  test("builds, pushes go to it through the client's global flags and buildx's --builder", () => {
    const onB2 = { ...DOCKER_20, clientArgs: ["-H", "unix:///run/b2.sock"] };
    expect(buildCommand(job(), onB2, { progress: "plain" }).args.slice(0, 4)).toEqual([
      "-H",
      "unix:///run/b2.sock",
      "build",
      "--progress=plain",
    ]);
    const named = { ...BUILDX_DOCKER, buildxBuilder: "dbkctx", clientArgs: ["--context", "dbkctx"] };
    expect(buildCommand(job(), named, { progress: "plain" }).args.slice(0, 6)).toEqual([
      "--context",
      "dbkctx",
      "buildx",
      "build",
      "--builder",
      "dbkctx",
    ]);
    expect(pushCommands(job({ push: ["acme/api:dev"] }), onB2)).toEqual([
      {
        tag: "acme/api:dev",
        file: "/usr/bin/docker",
        args: ["-H", "unix:///run/b2.sock", "push", "acme/api:dev"],
      },
    ]);
  });
});
