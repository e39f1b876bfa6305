import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { normalizeImageRef } from "../../src/util/image-ref.js";
import type { ServiceNode } from "../../src/graph/types.js";
import { gitSpawnCount } from "../../src/inputs/git.js";
import { readContextDigests } from "../../src/inputs/index.js";
import { planImageInputs } from "../../src/plan/image-inputs.js";
import { planInputRequests } from "../../src/plan/input-requests.js";
import { planInputHashes } from "../../src/plan/input-hashes.js";
import type { BuildJob } from "../../src/plan/types.js";
import {
  buildJob,
  cleanTempDirs,
  gitRepo,
  serviceNode,
  stage,
  tempDir,
  writeFiles,
} from "../inputs/helpers.js";

afterAll(cleanTempDirs);

/** Each job with the stages and Dockerfile text of its service's node, as the plan drafts it. */
const drafts = (jobs: readonly BuildJob[], nodes: ReadonlyMap<string, ServiceNode>) =>
  jobs.map((job) => {
    const node = nodes.get(job.key);
    return {
      job: node ? { ...job, dockerfileText: node.dockerfileText } : job,
      stages: node?.stages ?? [],
    };
  });

/** The images the jobs use that no job of theirs builds (the plan's `externalImages`). */
function externalRefs(jobs: readonly BuildJob[], nodes: ReadonlyMap<string, ServiceNode>): string[] {
  const seen = new Map<string, string>();
  for (const { external } of planImageInputs(drafts(jobs, nodes)).values()) {
    for (const ref of external) if (!seen.has(normalizeImageRef(ref))) seen.set(normalizeImageRef(ref), ref);
  }
  return [...seen.values()];
}

/** Read the contexts as a build does, then hash as the plan does: the hash of each job that has one. */
async function computeInputHashes(
  jobs: readonly BuildJob[],
  nodes: ReadonlyMap<string, ServiceNode>,
  ids: Record<string, string>,
  options: { onUnhashable?: (key: string, reason: string) => void; inProcessLimit?: number } = {},
): Promise<Map<string, string>> {
  const planned = drafts(jobs, nodes);
  const contexts = await readContextDigests(planInputRequests(jobs).contexts, {
    ...(options.inProcessLimit !== undefined ? { inProcessLimit: options.inProcessLimit } : {}),
  });
  const imageIds = new Map(Object.entries(ids).map(([ref, id]) => [normalizeImageRef(ref), id]));
  const results = planInputHashes(
    planned.map((d) => d.job),
    planImageInputs(planned),
    { contexts, imageIds },
  );
  const hashes = new Map<string, string>();
  for (const job of jobs) {
    const result = results.get(job.key);
    if (result !== undefined && "hash" in result) hashes.set(job.key, result.hash);
    else if (result !== undefined) options.onUnhashable?.(job.key, result.reason);
  }
  return hashes;
}

/** base ← api ← worker, api FROM alpine and COPY --from a tool image; `shared` named context on api. */
function chain(dir: string): { jobs: BuildJob[]; nodes: Map<string, ServiceNode> } {
  const ctx = (name: string) => path.join(dir, name);
  const nodes = new Map([
    [
      "base",
      serviceNode("base", ctx("base"), { stages: [stage("0", { kind: "image", ref: "alpine:3.19" })] }),
    ],
    [
      "api",
      serviceNode("api", ctx("api"), {
        stages: [
          stage("build", { kind: "image", ref: "acme/base:latest" }, [{ kind: "image", ref: "acme/tool:1" }]),
          stage("final", { kind: "stage", stage: "build" }, [{ kind: "image", ref: "shared" }]),
        ],
      }),
    ],
    [
      "worker",
      serviceNode("worker", ctx("worker"), { stages: [stage("0", { kind: "image", ref: "acme/api" })] }),
    ],
  ]);
  const jobs = [
    buildJob("base", ctx("base")),
    buildJob("api", ctx("api"), {
      dependsOn: ["base"],
      namedContexts: { shared: { kind: "path", path: ctx("shared") } },
    }),
    buildJob("worker", ctx("worker"), { dependsOn: ["api"] }),
  ];
  return { jobs, nodes };
}

const FILES = {
  "base/Dockerfile": "FROM alpine:3.19\n",
  "api/Dockerfile": "FROM acme/base\n",
  "api/main.js": "1",
  "worker/Dockerfile": "FROM acme/api\n",
  "shared/lib.js": "1",
};
const IDS = { "alpine:3.19": "sha256:alpine", "acme/tool:1": "sha256:tool" };

describe("externalRefs", () => {
  it("lists images no job builds, leaving out other jobs' tags and named contexts", () => {
    const { jobs, nodes } = chain("/repo");
    expect(externalRefs(jobs, nodes)).toEqual(["alpine:3.19", "acme/tool:1"]);
  });

  it("counts a docker-image named context that no job builds", () => {
    const jobs = [buildJob("a", "/repo/a", { namedContexts: { py: { kind: "image", ref: "python:3.12" } } })];
    expect(externalRefs(jobs, new Map([["a", serviceNode("a", "/repo/a")]]))).toEqual(["python:3.12"]);
  });
});

describe("computeInputHashes", () => {
  it("hashes every job and passes a change upstream on to the jobs that build on it", async () => {
    const dir = gitRepo(FILES);
    const { jobs, nodes } = chain(dir);
    const first = await computeInputHashes(jobs, nodes, IDS);
    expect([...first.keys()].sort()).toEqual(["api", "base", "worker"]);
    expect(await computeInputHashes(jobs, nodes, IDS)).toEqual(first);

    writeFiles(dir, { "base/new.txt": "x" });
    const second = await computeInputHashes(jobs, nodes, IDS);
    for (const id of ["base", "api", "worker"]) expect(second.get(id), id).not.toBe(first.get(id));

    writeFiles(dir, { "shared/lib.js": "2" });
    const third = await computeInputHashes(jobs, nodes, IDS);
    expect(third.get("base")).toBe(second.get("base"));
    expect(third.get("api")).not.toBe(second.get("api"));
    expect(third.get("worker")).not.toBe(second.get("worker"));
  });

  it("rebuilds when an external base image is re-tagged to another id", async () => {
    const dir = gitRepo(FILES);
    const { jobs, nodes } = chain(dir);
    const before = await computeInputHashes(jobs, nodes, IDS);
    const after = await computeInputHashes(jobs, nodes, {
      ...IDS,
      "docker.io/library/alpine:3.19": "sha256:new",
    });
    for (const id of ["base", "api", "worker"]) expect(after.get(id)).not.toBe(before.get(id));
    const tool = await computeInputHashes(jobs, nodes, { ...IDS, "acme/tool:1": "sha256:tool2" });
    expect(tool.get("base")).toBe(before.get("base"));
    expect(tool.get("api")).not.toBe(before.get("api"));
  });

  it("leaves out a job whose inputs cannot be known, and the jobs that build on it", async () => {
    const dir = gitRepo(FILES);
    const { jobs, nodes } = chain(dir);
    const reasons = new Map<string, string>();
    const hashes = await computeInputHashes(
      jobs,
      nodes,
      { "alpine:3.19": "sha256:alpine" },
      {
        onUnhashable: (id, reason) => reasons.set(id, reason),
      },
    );
    expect([...hashes.keys()]).toEqual(["base"]);
    expect(reasons.get("api")).toContain("acme/tool:1");
    expect(reasons.get("worker")).toContain("builds on");

    const pulled = jobs.map((j) => (j.key === "base" ? { ...j, pull: true } : j));
    expect((await computeInputHashes(pulled, nodes, IDS)).size).toBe(0);
    const remote = [buildJob("r", "https://github.com/acme/r.git#main")];
    expect((await computeInputHashes(remote, new Map(), {})).size).toBe(0);
  });

  it("links a job to the job whose tag it builds FROM even when dependsOn misses it", async () => {
    const dir = gitRepo(FILES);
    const { jobs, nodes } = chain(dir);
    const loose = jobs.map((j) => ({ ...j, dependsOn: [] }));
    const before = await computeInputHashes(loose, nodes, IDS);
    writeFiles(dir, { "base/new.txt": "x" });
    const after = await computeInputHashes(loose, nodes, IDS);
    expect(after.get("worker")).not.toBe(before.get("worker"));
  });

  it("treats an upstream outside the run as an external image, known by its id", async () => {
    const dir = gitRepo(FILES);
    const { jobs, nodes } = chain(dir);
    const apiOnly = jobs.filter((j) => j.key === "api");
    expect(externalRefs(apiOnly, nodes)).toEqual(["acme/base:latest", "acme/tool:1"]);
    expect((await computeInputHashes(apiOnly, nodes, IDS)).size).toBe(0);
    const one = await computeInputHashes(apiOnly, nodes, { ...IDS, "acme/base": "sha256:b1" });
    const two = await computeInputHashes(apiOnly, nodes, { ...IDS, "acme/base": "sha256:b2" });
    expect(one.get("api")).toBeDefined();
    expect(two.get("api")).not.toBe(one.get("api"));
  });

  it("leaves out jobs on a cycle", async () => {
    const dir = gitRepo(FILES);
    const jobs = [
      buildJob("a", path.join(dir, "base"), { dependsOn: ["b"] }),
      buildJob("b", path.join(dir, "api"), { dependsOn: ["a"] }),
    ];
    const nodes = new Map(jobs.map((j) => [j.key, serviceNode(j.key, j.context)]));
    const reasons: string[] = [];
    expect((await computeInputHashes(jobs, nodes, {}, { onUnhashable: (id) => reasons.push(id) })).size).toBe(
      0,
    );
    expect(reasons.sort()).toEqual(["a", "b"]);
  });

  const spawnsFor = async (count: number, inProcessLimit?: number) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < count; i++) files[`svc${i}/Dockerfile`] = `FROM scratch\nCOPY . /${i}\n`;
    const dir = gitRepo(files);
    const jobs = Array.from({ length: count }, (_, i) => buildJob(`svc${i}`, path.join(dir, `svc${i}`)));
    const nodes = new Map(jobs.map((j) => [j.key, serviceNode(j.key, j.context)]));
    const before = gitSpawnCount();
    const hashes = await computeInputHashes(jobs, nodes, {}, { inProcessLimit });
    expect(hashes.size).toBe(count);
    return gitSpawnCount() - before;
  };

  it("runs git a constant number of times, however many contexts one repository holds", async () => {
    const one = await spawnsFor(1, 0);
    expect(one).toBeGreaterThan(0);
    expect(await spawnsFor(12, 0)).toBe(one);
  });

  it("runs no git at all where it reads the repository's index itself", async () => {
    expect(await spawnsFor(12)).toBe(0);
  });

  it("hashes a context shared by several jobs once, and without git walks the folder", async () => {
    const dir = tempDir();
    writeFiles(dir, { "app/Dockerfile": "FROM scratch\n", "app/x": "1" });
    const context = path.join(dir, "app");
    const jobs = [buildJob("a", context, { target: "a" }), buildJob("b", context, { target: "b" })];
    const nodes = new Map(jobs.map((j) => [j.key, serviceNode(j.key, context)]));
    const before = gitSpawnCount();
    const hashes = await computeInputHashes(jobs, nodes, {});
    expect(gitSpawnCount()).toBe(before);
    expect(hashes.size).toBe(2);
    expect(hashes.get("a")).not.toBe(hashes.get("b"));
  });
});
