import { describe, expect, it } from "vitest";
import { BUILD_SETTINGS, canonicalSettings, type BuildSettings } from "../../src/graph/build-settings.js";
import { computeJobHash, type JobHashInput } from "../../src/inputs/job-hash.js";
import { planJobs as planBuild } from "../../src/plan/plan.js";
import { graphOf } from "./helpers.js";

/** For every setting, a value other than the default one a build has: a new setting needs an entry here. */
const OTHER: { [K in keyof BuildSettings]-?: NonNullable<BuildSettings[K]> } = {
  target: "prod",
  args: { VERSION: "2" },
  platforms: ["linux/arm64"],
  labels: { team: "core" },
  secrets: [{ id: "npm", file: "/home/me/.npmrc" }],
  ssh: ["default"],
  network: "host",
  extraHosts: ["db:10.0.0.1"],
  shmSize: "1g",
  ulimits: { nofile: { soft: 1024, hard: 2048 } },
  privileged: true,
  entitlements: ["network.host"],
  noCache: true,
  pull: true,
  cacheFrom: ["type=local,src=/tmp/c"],
  cacheTo: ["type=local,dest=/tmp/c"],
};

const DOCKERFILE = "FROM scratch AS prod\nARG VERSION\nCOPY . /\nFROM scratch\n";

/** Two services with the same build except `name`, which only `b` sets; and the plan of both. */
function twins(name: keyof BuildSettings) {
  const graph = graphOf(
    {
      a: { build: "/p/app" },
      b: { build: { context: "/p/app", [name]: OTHER[name] } },
    },
    { "/p/app/Dockerfile": DOCKERFILE },
  );
  const plan = planBuild(graph, { services: ["a", "b"], requested: ["a", "b"] });
  const hash = (id: string) => {
    const job = plan.jobs.find((j) => j.key === id);
    if (!job) throw new Error(`no job ${id}`);
    const input: JobHashInput = {
      job,
      contextHash: "c",
      dockerfileText: DOCKERFILE,
      upstreamHashes: [],
      externalImageIds: {},
      namedContextHashes: {},
    };
    return computeJobHash(input);
  };
  return { graph, plan, hash };
}

describe("one list of build settings for the identical-build key and the input hash", () => {
  const settings = Object.keys(BUILD_SETTINGS) as (keyof BuildSettings)[];

  it("covers every setting of a build section but its sources and tags", () => {
    expect(settings.sort()).toEqual(Object.keys(OTHER).sort());
  });

  it.each(settings)("two services differing only in %s are two builds", (name) => {
    const { graph, plan } = twins(name);
    expect(graph.nodes.get("b")?.sameBuildAs).toBeNull();
    expect(plan.jobs.map((j) => j.services)).toEqual([["a"], ["b"]]);
  });

  it.each(settings.filter((s) => BUILD_SETTINGS[s] === "content"))(
    "%s changes what the image holds: the input hashes differ",
    (name) => {
      const { hash } = twins(name);
      expect(hash("b")).not.toBe(hash("a"));
    },
  );

  it.each(settings.filter((s) => BUILD_SETTINGS[s] === "run"))(
    "%s changes how the build runs, not what it makes: the input hashes are equal",
    (name) => {
      const { hash } = twins(name);
      expect(hash("b")).toBe(hash("a"));
    },
  );

  it("a secret's source keeps two builds apart but does not enter the hash (it differs between machines)", () => {
    const base = { ...settingsOf(), secrets: [{ id: "npm", file: "/home/me/.npmrc" }] };
    const moved = { ...base, secrets: [{ id: "npm", environment: "NPM_TOKEN" }] };
    expect(canonicalSettings(moved, "identity")).not.toEqual(canonicalSettings(base, "identity"));
    expect(canonicalSettings(moved, "hash")).toEqual(canonicalSettings(base, "hash"));
  });

  it("platforms, ssh, entitlements and record keys compare in any order", () => {
    const one = { ...settingsOf(), platforms: ["linux/amd64", "linux/arm64"], args: { A: "1", B: "2" } };
    const two = { ...settingsOf(), platforms: ["linux/arm64", "linux/amd64"], args: { B: "2", A: "1" } };
    expect(canonicalSettings(two, "identity")).toEqual(canonicalSettings(one, "identity"));
  });

  it("identical services are merged into one job carrying both tags", () => {
    const graph = graphOf(
      { a: { build: "/p/app" }, b: { build: "/p/app" } },
      { "/p/app/Dockerfile": DOCKERFILE },
    );
    expect(graph.nodes.get("b")?.sameBuildAs).toBe("a");
    const plan = planBuild(graph, { services: ["a", "b"], requested: ["a", "b"] });
    expect(plan.jobs.map((j) => ({ services: j.services, tags: j.tags }))).toEqual([
      { services: ["a", "b"], tags: ["p-a", "p-b"] },
    ]);
  });
});

function settingsOf(): BuildSettings {
  return {
    args: {},
    labels: {},
    platforms: [],
    secrets: [],
    ssh: [],
    extraHosts: [],
    ulimits: {},
    privileged: false,
    entitlements: [],
    noCache: false,
    pull: false,
    cacheFrom: [],
    cacheTo: [],
  };
}
