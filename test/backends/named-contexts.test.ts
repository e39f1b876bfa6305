import { describe, expect, test } from "vitest";
import { planNamedContexts, type NamedContextPlan } from "../../src/backends/named-contexts.js";
import type { EngineInfo } from "../../src/backends/types.js";
import type { NamedContext } from "../../src/plan/types.js";
import { BUILDX_CONTAINER, BUILDX_DOCKER, DOCKER_20, job } from "./jobs.js";

const base: NamedContext = { kind: "image", ref: "acme/base:dev", service: "base" };
const external: NamedContext = { kind: "image", ref: "busybox:1.36" };
const assets: NamedContext = { kind: "path", path: "/repo/assets" };
const remote: NamedContext = { kind: "url", url: "https://github.com/acme/protos.git#main" };

describe("planNamedContexts", () => {
  test.each<[string, Record<string, NamedContext>, EngineInfo, NamedContextPlan]>([
    ["no contexts", {}, DOCKER_20, { buildContextArgs: [], rewrites: {}, warnings: [], errors: [] }],
    [
      "every kind, as flags, on the docker driver",
      { base, tools: external, assets, protos: remote },
      BUILDX_DOCKER,
      {
        buildContextArgs: [
          "--build-context",
          "base=docker-image://acme/base:dev",
          "--build-context",
          "tools=docker-image://busybox:1.36",
          "--build-context",
          "assets=/repo/assets",
          "--build-context",
          "protos=https://github.com/acme/protos.git#main",
        ],
        rewrites: {},
        warnings: [],
        errors: [],
      },
    ],
    [
      "another service's image on a container builder, which cannot read the engine's image store",
      { base },
      BUILDX_CONTAINER,
      {
        buildContextArgs: ["--build-context", "base=docker-image://acme/base:dev"],
        rewrites: {},
        warnings: [
          "service api: build.additional_contexts.base: the image of service base (acme/base:dev) is in the engine's image " +
            "store, which the buildx docker-container driver does not read; it resolves acme/base:dev from a registry",
        ],
        errors: [],
      },
    ],
    [
      "image contexts on Docker 20.10 become rewrites (none when the name is the image)",
      { base, "busybox:1.36": external },
      DOCKER_20,
      { buildContextArgs: [], rewrites: { base: "acme/base:dev" }, warnings: [], errors: [] },
    ],
    [
      "a folder or a URL on Docker 20.10 cannot be honored",
      { assets, protos: remote },
      DOCKER_20,
      {
        buildContextArgs: [],
        rewrites: {},
        warnings: [],
        errors: [
          "service api: build.additional_contexts.assets: the path context /repo/assets cannot be passed to the docker " +
            "backend (Docker client 20.10.24+dfsg1, engine 20.10.24+dfsg1), which has no named contexts (they need " +
            "buildx 0.8 on BuildKit 0.10); only image contexts can be honored there, by rewriting the Dockerfile",
          "service api: build.additional_contexts.protos: the url context https://github.com/acme/protos.git#main cannot " +
            "be passed to the docker backend (Docker client 20.10.24+dfsg1, engine 20.10.24+dfsg1), which has no named " +
            "contexts (they need buildx 0.8 on BuildKit 0.10); only image contexts can be honored there, by rewriting the Dockerfile",
        ],
      },
    ],
  ])("%s", (_name, namedContexts, engine, expected) => {
    expect(planNamedContexts(job({ namedContexts }), engine)).toEqual(expected);
  });
});
