import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import {
  allServices,
  isProfileActive,
  selectServices,
  servicesBehindProfiles,
} from "../../src/select/select.js";
import { graphOf, type ServiceShape } from "../graph/helpers.js";

// base ← api ← web; worker ← base; tools behind a profile; db runs an image api builds; cache runs redis
const services: Record<string, ServiceShape> = {
  base: { image: "acme/base", build: "/p/base" },
  api: { image: "acme/api", build: "/p/api", extension: { groups: ["backend"] } },
  worker: { build: "/p/worker", extension: { groups: ["backend"] } },
  web: { build: "/p/web" },
  lint: { build: "/p/lint", profiles: ["tools"] },
  e2e: { build: "/p/e2e", profiles: ["tools", "ci"] },
  skipped: { build: "/p/skipped", extension: { skip: true } },
  db: { image: "acme/api:latest" },
  cache: { image: "redis:7" },
};
const dockerfiles = {
  "/p/base/Dockerfile": "FROM scratch\n",
  "/p/api/Dockerfile": "FROM acme/base\n",
  "/p/worker/Dockerfile": "FROM acme/base\n",
  "/p/web/Dockerfile": "FROM scratch\nCOPY --from=acme/api / /\n",
  "/p/lint/Dockerfile": "FROM scratch\n",
  "/p/e2e/Dockerfile": "FROM acme/api\n",
  "/p/skipped/Dockerfile": "FROM scratch\n",
};
const config = { groups: { front: ["web"], loop: ["loop"] } };

describe("selectServices: names in, the services to build (with their build-time needs) out", () => {
  it.each<{
    name: string;
    names: string[];
    noDeps?: boolean;
    active?: string[];
    services: string[];
    requested: string[];
  }>([
    {
      name: "all: every active service, not skipped, not behind an inactive profile",
      names: [],
      services: ["base", "api", "worker", "web"],
      requested: ["base", "api", "worker", "web"],
    },
    {
      name: "all with a profile: its services too",
      names: ["all"],
      active: ["ci"],
      services: ["base", "api", "worker", "web", "e2e"],
      requested: ["base", "api", "worker", "web", "e2e"],
    },
    {
      name: "'*' enables every profile",
      names: [],
      active: ["*"],
      services: ["base", "api", "worker", "web", "lint", "e2e"],
      requested: ["base", "api", "worker", "web", "lint", "e2e"],
    },
    {
      name: "a name brings what it needs, in graph order",
      names: ["web"],
      services: ["base", "api", "web"],
      requested: ["web"],
    },
    { name: "--no-deps: only the name", names: ["web"], noDeps: true, services: ["web"], requested: ["web"] },
    {
      name: "a service behind an inactive profile, named",
      names: ["e2e"],
      services: ["base", "api", "e2e"],
      requested: ["e2e"],
    },
    { name: "a skipped service, named", names: ["skipped"], services: ["skipped"], requested: ["skipped"] },
    {
      name: "an x-dockbuild group",
      names: ["backend"],
      services: ["base", "api", "worker"],
      requested: ["api", "worker"],
    },
    { name: "a config group", names: ["front"], noDeps: true, services: ["web"], requested: ["web"] },
  ])("$name", ({ names, noDeps, active, services: expected, requested }) => {
    const graph = graphOf(services, dockerfiles, { activeProfiles: active ?? [] });
    expect(selectServices(graph, config, { names, noDeps })).toEqual({ services: expected, requested });
  });

  const problemsOf = (names: string[]) => {
    const graph = graphOf(services, dockerfiles);
    try {
      selectServices(graph, config, { names });
    } catch (error) {
      if (error instanceof InputError) return error.problems.map(({ message, hint }) => ({ message, hint }));
      throw error;
    }
    throw new Error("no InputError");
  };

  it.each([
    {
      name: "an unknown name, with the closest known ones",
      names: ["wroker"],
      problems: [{ message: 'unknown service or group "wroker"', hint: 'did you mean "worker"?' }],
    },
    {
      name: "a service without a build that runs an image another service builds: that service is named",
      names: ["db"],
      problems: [
        {
          message: 'service "db" has no build section, so there is nothing to build',
          hint: 'it runs the image "acme/api:latest", which service "api" builds: name "api" to build it',
        },
      ],
    },
    {
      name: "a service without a build that runs an outside image",
      names: ["cache"],
      problems: [
        {
          message: 'service "cache" has no build section, so there is nothing to build',
          hint: 'it runs the image "redis:7", which no service of this project builds',
        },
      ],
    },
    {
      name: "a group that names itself, and every problem at once",
      names: ["loop", "nope"],
      problems: [
        { message: 'group "loop" contains itself: loop → loop', hint: undefined },
        { message: 'unknown service or group "nope"', hint: expect.stringMatching(/^known: base, api/) },
      ],
    },
  ])("$name", ({ names, problems }) => {
    expect(problemsOf(names)).toEqual(problems);
  });
});

describe("servicesBehindProfiles: what `all` leaves out, by the profile that shows it", () => {
  it.each([
    {
      active: [],
      hidden: [
        { profile: "tools", services: ["lint", "e2e"] },
        { profile: "ci", services: ["e2e"] },
      ],
    },
    { active: ["ci"], hidden: [{ profile: "tools", services: ["lint"] }] },
    { active: ["*"], hidden: [] },
  ])("with profiles $active active", ({ active, hidden }) => {
    expect(servicesBehindProfiles(graphOf(services, dockerfiles, { activeProfiles: active }))).toEqual(
      hidden,
    );
  });

  it.each([
    [[], [], true],
    [["tools"], [], false],
    [["tools"], ["ci"], false],
    [["tools", "ci"], ["ci"], true],
    [["tools"], ["*"], true],
  ] as const)("isProfileActive(%j, %j) is %s", (profiles, active, expected) => {
    expect(isProfileActive(profiles, active)).toBe(expected);
  });
});

describe("all: a build-time need behind an inactive profile is built, as bake builds a target's contexts", () => {
  // app builds FROM base's image; tool takes base as a service: context; base and ctx sit behind `tools`
  const shapes: Record<string, ServiceShape> = {
    base: { image: "acme/base", build: "/p/base", profiles: ["tools"] },
    ctx: { build: "/p/ctx", profiles: ["tools"] },
    app: { build: "/p/app" },
    tool: { build: { context: "/p/tool", additionalContexts: { c: "service:ctx" } } },
    lint: { build: "/p/lint", profiles: ["tools"] },
    seed: { image: "acme/seed", build: "/p/seed", extension: { skip: true } },
    job: { build: "/p/job" },
  };
  const files = {
    "/p/base/Dockerfile": "FROM scratch\n",
    "/p/ctx/Dockerfile": "FROM scratch\n",
    "/p/app/Dockerfile": "FROM acme/base\n",
    "/p/tool/Dockerfile": "FROM scratch\nCOPY --from=c / /\n",
    "/p/lint/Dockerfile": "FROM scratch\n",
    "/p/seed/Dockerfile": "FROM scratch\n",
    "/p/job/Dockerfile": "FROM acme/seed\n",
  };
  const graph = graphOf(shapes, files);

  it("all (with or without --no-deps) is the active services and what they need, in graph order", () => {
    const expected = ["base", "ctx", "app", "tool", "seed", "job"];
    expect(allServices(graph)).toEqual(expected);
    for (const noDeps of [false, true]) {
      expect(selectServices(graph, {}, { names: [], noDeps })).toEqual({
        services: expected,
        requested: expected,
      });
    }
  });

  it("the profile note lists only what nothing of all needs", () => {
    expect(servicesBehindProfiles(graph)).toEqual([{ profile: "tools", services: ["lint"] }]);
  });

  it("named services are unchanged: --no-deps leaves the need out", () => {
    expect(selectServices(graph, {}, { names: ["app"], noDeps: true })).toEqual({
      services: ["app"],
      requested: ["app"],
    });
    expect(selectServices(graph, {}, { names: ["app"] }).services).toEqual(["base", "app"]);
  });
});
