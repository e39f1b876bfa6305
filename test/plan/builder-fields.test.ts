import { describe, expect, it } from "vitest";
import { placementKeyOf, registryImageFor, repositoryName } from "../../src/plan/builder-fields.js";
import { planJobs } from "../../src/plan/plan.js";
import { buildGraph, serviceNode, stage } from "../inputs/helpers.js";

/** base ← api (FROM acme/base), web (additional_contexts: { api: service:api }), tool on its own. */
function project() {
  const api = serviceNode("api", "/repo/apps/api", {
    stages: [stage("production", { kind: "image", ref: "acme/base" })],
    dependsOn: ["base"],
  });
  const web = serviceNode("web", "/repo/apps/web", {
    build: { additionalContexts: { api: "service:api" } },
    stages: [stage("0", { kind: "scratch" }, [{ kind: "image", ref: "api" }])],
    dependsOn: ["api"],
  });
  const graph = buildGraph("/repo", [
    serviceNode("base", "/repo/base"),
    api,
    web,
    serviceNode("tool", "/repo/tools/x"),
  ]);
  graph.imageOwners.set("docker.io/acme/base:latest", "base");
  graph.imageOwners.set("docker.io/acme/api:latest", "api");
  return graph;
}
const all = { services: ["base", "api", "web", "tool"], requested: ["api", "web", "tool"] };
const contexts = new Map(
  ["/repo/base", "/repo/apps/api", "/repo/apps/web", "/repo/tools/x"].map((dir) => [
    `${dir}\0${dir}/Dockerfile`,
    { hash: dir },
  ]),
);
const builders = {
  list: [
    { name: "b1", slots: 4, platforms: [], labels: [] },
    { name: "b2", slots: 4, platforms: [], labels: ["large"] },
  ],
  requests: new Map([
    ["base", { builder: "b1", labels: [] }],
    ["tool", { labels: ["large"] }],
  ]),
};

describe("jobs over builders and a registry", () => {
  it("without builders or a registry, jobs carry none of it", () => {
    const [base] = planJobs(project(), all).jobs;
    expect(base).not.toHaveProperty("builder");
    expect(base).not.toHaveProperty("upstreamUses");
    expect(base).not.toHaveProperty("placementKey");
  });

  it("each job: what it asks, the builder it prefers and why, its context as placement hashes it", () => {
    const jobs = planJobs(project(), all, { builders }).jobs;
    expect(jobs.map((j) => [j.key, j.builder, j.builderReason, j.builderRequest, j.placementKey])).toEqual([
      ["base", "b1", "pinned", { builder: "b1", labels: [] }, "base"],
      ["api", "b1", "upstream", undefined, "apps/api"],
      ["web", "b1", "upstream", undefined, "apps/web"],
      ["tool", "b2", "hash", { labels: ["large"] }, "tools/x"],
    ]);
  });

  it("how each job names its upstream images, to read them from a registry", () => {
    const jobs = planJobs(project(), all, { registry: "127.0.0.1:5000/acme" }).jobs;
    expect(Object.fromEntries(jobs.map((j) => [j.key, j.upstreamUses]))).toEqual({
      base: {},
      api: { base: { refs: ["acme/base"], contexts: [] } },
      web: { api: { refs: [], contexts: ["api"] } },
      tool: {},
    });
  });

  it("with input hashes, a content-addressed registry tag per job that keeps an image", () => {
    const plan = planJobs(project(), all, {
      registry: "127.0.0.1:5000/acme/",
      inputs: { contexts, imageIds: new Map() },
    });
    for (const job of plan.jobs)
      expect(job.registryImage).toBe(`127.0.0.1:5000/acme/${job.key}:ih-${job.inputHash as string}`);
    const tests = planJobs(project(), all, {
      registry: "127.0.0.1:5000/acme",
      stage: "production",
      inputs: { contexts, imageIds: new Map() },
    });
    expect(tests.jobs.find((j) => j.id.stage !== undefined)?.registryImage).toBeUndefined();
  });
});

describe("names", () => {
  it.each([
    ["api", "api"],
    ["Api_Server", "api-server"],
    ["web..ui", "web-ui"],
    ["-x-", "x"],
    ["__", "service"],
  ])("repository of service %s: %s", (service, expected) => {
    expect(repositoryName(service)).toBe(expected);
  });
  it("registry image", () => {
    expect(registryImageFor("r.example.com/acme/build/", "Api", "ab12")).toBe(
      "r.example.com/acme/build/api:ih-ab12",
    );
  });
  it.each([
    ["/repo/apps/api", "/repo", "apps/api"],
    ["/repo", "/repo", "."],
    ["/elsewhere/lib", "/repo", "../elsewhere/lib"],
    ["https://github.com/acme/x.git#main", "/repo", "https://github.com/acme/x.git#main"],
  ])("placement key of %s in %s", (context, project, expected) => {
    expect(placementKeyOf(context, project)).toBe(expected);
  });
});
