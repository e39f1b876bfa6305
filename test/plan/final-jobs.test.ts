import { describe, expect, it } from "vitest";
import type { CacheMount } from "../../src/dockerfile/types.js";
import { INPUT_HASH_LABEL } from "../../src/inputs/index.js";
import { planJobs } from "../../src/plan/plan.js";
import { buildGraph, serviceNode, stage } from "../inputs/helpers.js";

const mount = (id: string, stageName: string): CacheMount => ({
  id,
  target: id,
  sharing: "shared",
  stage: stageName,
  location: { file: "Dockerfile", line: 2 },
});

/** base ← api (FROM acme/base, stages deps → builder → production, a test stage off deps); worker = api. */
function project() {
  const deps = {
    ...stage("deps", { kind: "image", ref: "acme/base" }),
    cacheMounts: [mount("/root/.npm", "deps")],
  };
  const builder = stage("builder", { kind: "stage", stage: "deps" });
  const test = { ...stage("test", { kind: "stage", stage: "deps" }), cacheMounts: [mount("jest", "test")] };
  const production = stage("production", { kind: "scratch" }, [{ kind: "stage", stage: "builder" }]);
  const analysis = {
    file: "/repo/api/Dockerfile",
    stages: [deps, builder, test, production],
    globalArgs: {},
    warnings: [],
    errors: [],
  };
  const api = (name: string) => ({
    ...serviceNode(name, "/repo/api", { stages: [deps, builder, production], dependsOn: ["base"] }),
    analysis,
    tags: [`acme/${name}`],
  });
  const base = serviceNode("base", "/repo/base", { stages: [stage("0", { kind: "scratch" })] });
  const graph = buildGraph("/repo", [base, api("api"), { ...api("worker"), sameBuildAs: "api" }]);
  graph.imageOwners.set("docker.io/acme/base:latest", "base");
  return graph;
}

describe("planJobs", () => {
  it("merges identical builds into one job with every tag, dependencies as job keys", () => {
    const plan = planJobs(project(), { services: ["base", "api", "worker"], requested: ["api", "worker"] });
    expect(plan.jobs.map((j) => [j.key, j.services, j.tags, j.dependsOn])).toEqual([
      ["base", ["base"], ["acme/base"], []],
      ["api", ["api", "worker"], ["acme/api", "acme/worker"], ["base"]],
    ]);
    expect(plan.services.map((s) => [s.name, s.job, s.sameBuildAs])).toEqual([
      ["base", "base", null],
      ["api", "api", null],
      ["worker", "api", "api"],
    ]);
    expect(plan.waves).toEqual([["base"], ["api", "worker"]]);
  });

  it("gives each job what its build needs: stages, cache mounts, the builder stage to measure", () => {
    const [, api] = planJobs(project(), { services: ["base", "api"], requested: ["api"] }).jobs;
    expect(api).toMatchObject({
      id: { service: "api" },
      stages: ["deps", "builder", "production"],
      sizeProbe: { stage: "builder", stages: ["deps", "builder"] },
      dockerfileText: "FROM scratch\nCOPY . /\n",
      externalImages: [],
      push: [],
    });
    expect(api?.cacheMounts.map((m) => m.id)).toEqual(["/root/.npm"]);
  });

  it("a --stage job has a structured id, the stages it runs and their cache mounts, no tags", () => {
    const plan = planJobs(project(), { services: ["base", "api"], requested: ["api"] }, { stage: "test" });
    const testJob = plan.jobs.find((j) => j.id.stage === "test");
    expect(testJob).toMatchObject({
      id: { service: "api", stage: "test" },
      key: "api:test",
      target: "test",
      stages: ["deps", "test"],
      tags: [],
      load: false,
      dependsOn: ["base"],
    });
    expect(testJob?.cacheMounts.map((m) => m.id)).toEqual(["/root/.npm", "jest"]);
    expect(testJob?.sizeProbe).toBeUndefined();
  });

  it("resolves layer cache, pushes and the input hash label into the job", () => {
    const graph = project();
    const contexts = new Map([
      ["/repo/base\0/repo/base/Dockerfile", { hash: "b" }],
      ["/repo/api\0/repo/api/Dockerfile", { hash: "a" }],
    ]);
    const plan = planJobs(
      graph,
      { services: ["base", "api"], requested: ["api"] },
      {
        push: true,
        cache: {
          settings: { type: "registry", ref: "r.test/cache", scope: "", mode: "max" },
          backend: "buildx",
        },
        inputs: { contexts, imageIds: new Map() },
      },
    );
    const api = plan.jobs[1];
    expect(api?.cacheFrom).toEqual(["type=registry,ref=r.test/cache:api"]);
    expect(api?.push).toEqual(["acme/api"]);
    expect(api?.inputHash).toMatch(/^[0-9a-f]{64}$/);
    expect(api?.labels[INPUT_HASH_LABEL]).toBe(api?.inputHash);
  });

  it("says why a job has no input hash instead of hashing it", () => {
    const plan = planJobs(
      project(),
      { services: ["api"], requested: ["api"] },
      {
        inputs: {
          contexts: new Map([["/repo/api\0/repo/api/Dockerfile", { hash: "a" }]]),
          imageIds: new Map(),
        },
      },
    );
    expect(plan.jobs[0]?.inputHash).toBeUndefined();
    expect(plan.jobs[0]?.externalImages).toEqual(["acme/base"]);
    expect(plan.jobs[0]?.unhashed).toBe("the image acme/base is not in the engine, so its id is unknown");
  });

  it("returns frozen jobs: nothing can edit a job after planning", () => {
    const { jobs } = planJobs(project(), { services: ["base", "api"], requested: ["api"] });
    const api = jobs[1] as unknown as Record<string, unknown> & {
      tags: string[];
      labels: Record<string, string>;
    };
    expect(Object.isFrozen(jobs)).toBe(true);
    expect(() => {
      api.target = "other";
    }).toThrow(TypeError);
    expect(() => api.tags.push("x")).toThrow(TypeError);
    expect(() => {
      api.labels.extra = "1";
    }).toThrow(TypeError);
    expect(api.target).toBeUndefined();
  });
});
