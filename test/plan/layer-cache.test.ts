import { describe, expect, test } from "vitest";
import { buildCommand } from "../../src/backends/command.js";
import type { BackendKind } from "../../src/backends/types.js";
import { applyCacheSettings, jobScopes } from "../../src/plan/layer-cache.js";
import type { LayerCacheSettings } from "../../src/plan/cache-settings.js";
import type { BuildJob } from "../../src/plan/types.js";
import { BUILDX_CONTAINER, DOCKER_20, job } from "../backends/jobs.js";
import { makeJob, parseJobKey } from "../helpers/build-job.js";

const api = job({ tags: ["acme/api:dev"] });
const testStage = makeJob("api:test", { tags: [], load: false, target: "test", stages: ["production"] });

const local: LayerCacheSettings = { type: "local", dir: "/ci/cache", scope: "", mode: "max" };
const registry: LayerCacheSettings = {
  type: "registry",
  ref: "127.0.0.1:5000/acme/cache",
  scope: "main-",
  mode: "max",
};
const gha: LayerCacheSettings = { type: "gha", scope: "", mode: "min" };
const inline: LayerCacheSettings = { type: "inline", scope: "", mode: "min" };
const inlineRef: LayerCacheSettings = {
  type: "inline",
  ref: "127.0.0.1:5000/acme/images",
  scope: "",
  mode: "min",
};

type Row = [
  name: string,
  job: BuildJob,
  settings: LayerCacheSettings,
  backend: BackendKind,
  expected: Pick<BuildJob, "cacheFrom" | "cacheTo" | "tags">,
  warnings: RegExp[],
];

describe("applyCacheSettings", () => {
  test.each<Row>([
    [
      "local on buildx: a folder per service, mode=max",
      api,
      local,
      "buildx",
      {
        cacheFrom: ["type=local,src=/ci/cache/api"],
        cacheTo: ["type=local,dest=/ci/cache/api,mode=max"],
        tags: ["acme/api:dev"],
      },
      [],
    ],
    [
      "local on docker: nothing, and a warning naming what to use",
      api,
      local,
      "docker",
      { cacheFrom: [], cacheTo: [], tags: ["acme/api:dev"] },
      [
        /docker backend .* can neither read nor write a cache folder.*--cache-type inline.*docker buildx create --use/,
      ],
    ],
    [
      "registry on buildx: a tag per service with the scope prefix",
      api,
      registry,
      "buildx",
      {
        cacheFrom: ["type=registry,ref=127.0.0.1:5000/acme/cache:main-api"],
        cacheTo: ["type=registry,ref=127.0.0.1:5000/acme/cache:main-api,mode=max"],
        tags: ["acme/api:dev"],
      },
      [],
    ],
    [
      "registry on docker: read only",
      api,
      registry,
      "docker",
      {
        cacheFrom: ["type=registry,ref=127.0.0.1:5000/acme/cache:main-api"],
        cacheTo: [],
        tags: ["acme/api:dev"],
      },
      [/reads 127\.0\.0\.1:5000\/acme\/cache:<service> but cannot write it/],
    ],
    [
      "gha on buildx: a scope per service",
      api,
      gha,
      "buildx",
      { cacheFrom: ["type=gha,scope=api"], cacheTo: ["type=gha,scope=api,mode=min"], tags: ["acme/api:dev"] },
      [],
    ],
    [
      "gha on docker: nothing",
      api,
      gha,
      "docker",
      { cacheFrom: [], cacheTo: [], tags: ["acme/api:dev"] },
      [/cannot|neither/],
    ],
    [
      "inline: from the image's own tag, into the image",
      api,
      inline,
      "docker",
      { cacheFrom: ["type=registry,ref=acme/api:dev"], cacheTo: ["type=inline"], tags: ["acme/api:dev"] },
      [],
    ],
    [
      "inline, an image named without a registry (Compose's default name): a warning on how to share it",
      job({ tags: ["shop-api"] }),
      inline,
      "docker",
      { cacheFrom: ["type=registry,ref=shop-api"], cacheTo: ["type=inline"], tags: ["shop-api"] },
      [/api read their cache from their own images \(shop-api\), whose names have no registry.*--cache-ref/],
    ],
    [
      "inline with a ref: one more tag, which is also the cache source",
      api,
      inlineRef,
      "buildx",
      {
        cacheFrom: ["type=registry,ref=127.0.0.1:5000/acme/images:api"],
        cacheTo: ["type=inline"],
        tags: ["acme/api:dev", "127.0.0.1:5000/acme/images:api"],
      },
      [],
    ],
    [
      "inline with mode=max: still inline, and a warning",
      api,
      { ...inline, mode: "max" },
      "docker",
      { cacheFrom: ["type=registry,ref=acme/api:dev"], cacheTo: ["type=inline"], tags: ["acme/api:dev"] },
      [/always mode=min/],
    ],
    [
      "a --stage job writes its own scope and reads the service's too",
      testStage,
      registry,
      "buildx",
      {
        cacheFrom: [
          "type=registry,ref=127.0.0.1:5000/acme/cache:main-api.test",
          "type=registry,ref=127.0.0.1:5000/acme/cache:main-api",
        ],
        cacheTo: ["type=registry,ref=127.0.0.1:5000/acme/cache:main-api.test,mode=max"],
        tags: [],
      },
      [],
    ],
    [
      "inline for a job that makes no image: nothing",
      testStage,
      inlineRef,
      "docker",
      { cacheFrom: [], cacheTo: [], tags: [] },
      [],
    ],
    [
      "the Compose file's own cache_from / cache_to stay, without duplicates",
      job({ cacheFrom: ["type=registry,ref=acme/api:dev", "acme/api:old"], cacheTo: ["type=inline"] }),
      inline,
      "docker",
      {
        cacheFrom: ["type=registry,ref=acme/api:dev", "acme/api:old"],
        cacheTo: ["type=inline"],
        tags: ["acme/api:dev"],
      },
      [],
    ],
  ])("%s", (_name, input, settings, backend, expected, warnings) => {
    const result = applyCacheSettings([input], settings, backend);
    expect(result.jobs[0]).toEqual({ ...input, ...expected });
    expect(result.warnings).toHaveLength(warnings.length);
    warnings.forEach((pattern, i) => expect(result.warnings[i]).toMatch(pattern));
  });

  test("inline with a ref: the cache tag is pushed after each build even without --push; nothing else is", () => {
    const web = makeJob("web", { context: "/repo/api", stages: ["production"], tags: ["acme/web:dev"] });
    expect(applyCacheSettings([api, web, testStage], inlineRef, "docker").cachePushes).toEqual(
      new Map([
        ["api", ["127.0.0.1:5000/acme/images:api"]],
        ["web", ["127.0.0.1:5000/acme/images:web"]],
      ]),
    );
    for (const settings of [inline, registry, local, gha]) {
      expect(applyCacheSettings([api, web], settings, "buildx").cachePushes).toEqual(new Map());
    }
  });

  test("one warning per run, not per job; the input jobs are not changed", () => {
    const jobs = [
      api,
      makeJob("worker", { context: "/repo/api", stages: ["production"], tags: ["acme/worker:dev"] }),
    ];
    const copy = structuredClone(jobs);
    const result = applyCacheSettings(jobs, local, "docker");
    expect(result.warnings).toHaveLength(1);
    expect(jobs).toEqual(copy);
  });

  test("a job's cache is its own: a dependency's scope is never imported", () => {
    const web = makeJob("web", {
      context: "/repo/api",
      stages: ["production"],
      tags: ["acme/web:dev"],
      dependsOn: ["api"],
    });
    const result = applyCacheSettings([api, web], registry, "buildx");
    expect(result.jobs[1]?.cacheFrom).toEqual(["type=registry,ref=127.0.0.1:5000/acme/cache:main-web"]);
  });
});

describe("the cache flags each backend gets", () => {
  const flags = (settings: LayerCacheSettings, engine: typeof DOCKER_20) => {
    const [withCache] = applyCacheSettings([api], settings, engine.backend).jobs;
    const args = buildCommand(withCache as BuildJob, engine, { progress: "plain" }).args;
    return args.flatMap((a, i) =>
      ["--cache-from", "--cache-to"].includes(a) ||
      (a === "--build-arg" && args[i + 1]?.startsWith("BUILDKIT"))
        ? [a, args[i + 1]]
        : [],
    );
  };

  test("inline on docker build: --cache-from the image, BUILDKIT_INLINE_CACHE=1", () => {
    expect(flags(inline, DOCKER_20)).toEqual([
      "--cache-from",
      "acme/api:dev",
      "--build-arg",
      "BUILDKIT_INLINE_CACHE=1",
    ]);
  });
  test("registry on docker build: --cache-from the cache tag only", () => {
    expect(flags(registry, DOCKER_20)).toEqual(["--cache-from", "127.0.0.1:5000/acme/cache:main-api"]);
  });
  test("local on buildx with a container builder", () => {
    expect(flags(local, BUILDX_CONTAINER)).toEqual([
      "--cache-from",
      "type=local,src=/ci/cache/api",
      "--cache-to",
      "type=local,dest=/ci/cache/api,mode=max",
    ]);
  });
});

describe("jobScopes", () => {
  test.each([
    ["api", "", { write: "api", read: ["api"] }],
    ["api", "pr-7-", { write: "pr-7-api", read: ["pr-7-api"] }],
    ["api:test", "", { write: "api.test", read: ["api.test", "api"] }],
  ])("%s with prefix %j", (id, prefix, expected) => {
    expect(jobScopes({ id: parseJobKey(id) }, prefix)).toEqual(expected);
  });
});
