import { describe, expect, it } from "vitest";
import { planJobs as planBuild } from "../../src/plan/plan.js";

import { selectServices } from "../../src/select/select.js";
import { graphOf, type ServiceShape } from "../graph/helpers.js";

/** What a table test compares of a plan: each job's services, tags and needs, and the waves of services. */
function planShape(
  services: Record<string, ServiceShape>,
  dockerfiles: Record<string, string>,
  names: string[] = [],
) {
  const graph = graphOf(services, dockerfiles);
  const plan = planBuild(graph, selectServices(graph, {}, { names }));
  return {
    jobs: plan.jobs.map((j) => ({ id: j.key, services: j.services, tags: j.tags, dependsOn: j.dependsOn })),
    waves: plan.waves,
    sameBuildAs: Object.fromEntries(plan.services.map((s) => [s.name, s.sameBuildAs])),
  };
}

describe("planBuild: selected services in, jobs and waves out", () => {
  it.each<{
    name: string;
    services: Record<string, ServiceShape>;
    dockerfiles: Record<string, string>;
    expected: ReturnType<typeof planShape>;
  }>([
    {
      name: "a chain: one job each, needs by job id, one wave per depth",
      services: {
        base: { image: "acme/base", build: "/p/base" },
        api: { image: "acme/api", build: "/p/api" },
        web: { build: "/p/web" },
      },
      dockerfiles: {
        "/p/base/Dockerfile": "FROM scratch\n",
        "/p/api/Dockerfile": "FROM acme/base\n",
        "/p/web/Dockerfile": "FROM acme/api\n",
      },
      expected: {
        jobs: [
          { id: "base", services: ["base"], tags: ["acme/base"], dependsOn: [] },
          { id: "api", services: ["api"], tags: ["acme/api"], dependsOn: ["base"] },
          { id: "web", services: ["web"], tags: ["p-web"], dependsOn: ["api"] },
        ],
        waves: [["base"], ["api"], ["web"]],
        sameBuildAs: { base: null, api: null, web: null },
      },
    },
    {
      name: "identical builds are one job with every tag; what needs either needs that job",
      services: {
        app: { image: "acme/app", build: "/p/app" },
        "app-canary": { image: "acme/app:canary", build: "/p/app" },
        cleanup: { build: "/p/cleanup" },
      },
      dockerfiles: {
        "/p/app/Dockerfile": "FROM scratch\n",
        "/p/cleanup/Dockerfile": "FROM acme/app:canary\n",
      },
      expected: {
        jobs: [
          {
            id: "app",
            services: ["app", "app-canary"],
            tags: ["acme/app", "acme/app:canary"],
            dependsOn: [],
          },
          { id: "cleanup", services: ["cleanup"], tags: ["p-cleanup"], dependsOn: ["app"] },
        ],
        waves: [["app", "app-canary"], ["cleanup"]],
        sameBuildAs: { app: null, "app-canary": "app", cleanup: null },
      },
    },
    {
      name: "two services building image: alpine FROM alpine: one build, one wave, no order between them",
      services: { foo: { image: "alpine", build: "/p" }, bar: { image: "alpine", build: "/p" } },
      dockerfiles: { "/p/Dockerfile": "FROM alpine\n" },
      expected: {
        jobs: [{ id: "foo", services: ["foo", "bar"], tags: ["alpine"], dependsOn: [] }],
        waves: [["foo", "bar"]],
        sameBuildAs: { foo: null, bar: "foo" },
      },
    },
  ])("$name", ({ services, dockerfiles, expected }) => {
    expect(planShape(services, dockerfiles)).toEqual(expected);
  });

  it("a named service plans its needs; jobs outside the selection are not waited for", () => {
    const services = {
      base: { image: "acme/base", build: "/p/base" },
      api: { build: "/p/api" },
      other: { build: "/p/other" },
    };
    const dockerfiles = {
      "/p/base/Dockerfile": "FROM scratch\n",
      "/p/api/Dockerfile": "FROM acme/base\n",
      "/p/other/Dockerfile": "FROM scratch\n",
    };
    expect(planShape(services, dockerfiles, ["api"]).jobs.map((j) => j.id)).toEqual(["base", "api"]);
    const graph = graphOf(services, dockerfiles);
    const alone = planBuild(graph, selectServices(graph, {}, { names: ["api"], noDeps: true }));
    expect(alone.jobs.map((j) => ({ id: j.key, dependsOn: j.dependsOn }))).toEqual([
      { id: "api", dependsOn: [] },
    ]);
    expect(alone.waves).toEqual([["api"]]);
  });

  it("a job carries the build section as the engine gets it", () => {
    const graph = graphOf(
      {
        api: {
          image: "acme/api",
          build: {
            context: "/p/api",
            target: "prod",
            args: { A: "1", FROM_ENV: undefined },
            tags: ["acme/api:1"],
            platforms: ["linux/arm64"],
            additionalContexts: { shared: "/p/shared", tools: "ssh://git@example.com/tools.git" },
          },
        },
      },
      { "/p/api/Dockerfile": "FROM scratch AS prod\n" },
    );
    const [job] = planBuild(graph, { services: ["api"], requested: ["api"] }, { noCache: true }).jobs;
    expect(job).toMatchObject({
      id: { service: "api" },
      key: "api",
      context: "/p/api",
      dockerfile: "/p/api/Dockerfile",
      target: "prod",
      stages: ["prod"],
      args: { A: "1" },
      tags: ["acme/api", "acme/api:1"],
      platforms: ["linux/arm64"],
      namedContexts: {
        shared: { kind: "path", path: "/p/shared" },
        tools: { kind: "url", url: "ssh://git@example.com/tools.git" },
      },
      noCache: true,
      load: true,
    });
  });
});

describe("planStage: a stage of each requested service, on top of the builds it needs", () => {
  it("test stages of services sharing a Dockerfile are one build; their bases are built first", () => {
    const graph = graphOf(
      {
        base: { image: "acme/base", build: "/p/base" },
        api: { build: { context: "/p/app", target: "api" } },
        worker: { build: { context: "/p/app", target: "worker" } },
        plain: { build: "/p/plain" },
      },
      {
        "/p/base/Dockerfile": "FROM scratch\n",
        "/p/app/Dockerfile":
          "FROM acme/base AS deps\nFROM deps AS test\nFROM deps AS api\nFROM deps AS worker\n",
        "/p/plain/Dockerfile": "FROM scratch\n",
      },
    );
    const plan = planBuild(graph, selectServices(graph, {}, { names: [] }), { stage: "test" });
    expect(plan.withoutStage).toEqual(["base", "plain"]);
    expect(
      plan.jobs.map((j) => ({
        id: j.key,
        services: j.services,
        stages: j.stages,
        dependsOn: j.dependsOn,
        load: j.load,
      })),
    ).toEqual([
      { id: "base", services: ["base"], stages: ["0"], dependsOn: [], load: true },
      {
        id: "api:test",
        services: ["api:test", "worker:test"],
        stages: ["deps", "test"],
        dependsOn: ["base"],
        load: false,
      },
    ]);
  });
});
