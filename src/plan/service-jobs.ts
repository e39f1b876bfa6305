import { identicalBuildKey } from "../graph/identical.js";
import { sequenceGraph } from "../graph/sequence.js";
import type { BuildGraph } from "../graph/types.js";
import { draftJob, type DraftJob } from "./draft-job.js";
import type { PlannedService, PlanOptions } from "./plan.js";

/** The service jobs of the named services: identical builds merged into the first one's job. */
export function planServiceJobs(
  graph: BuildGraph,
  names: readonly string[],
  options: PlanOptions,
): { services: PlannedService[]; drafts: DraftJob[]; waves: string[][] } {
  const selected = new Set(names);
  const nodes = [...graph.nodes.values()].filter((n) => selected.has(n.name));
  const primaryByKey = new Map<string, string>();
  const jobOf = new Map<string, string>();
  const services: PlannedService[] = [];
  for (const node of nodes) {
    const key = identicalBuildKey(node);
    const primary = primaryByKey.get(key);
    if (primary === undefined) primaryByKey.set(key, node.name);
    jobOf.set(node.name, primary ?? node.name);
    services.push({ name: node.name, node, job: primary ?? node.name, sameBuildAs: primary ?? null });
  }

  // The services, tags and dependencies of each merged job are gathered first and the job made once:
  // rebuilding it for every identical service would be quadratic in their number.
  const merged = new Map<
    string,
    { first: DraftJob; services: string[]; tags: Set<string>; deps: Set<string> }
  >();
  for (const { node, job: key } of services) {
    const deps = node.dependsOn.filter((d) => selected.has(d)).map((d) => jobOf.get(d) ?? d);
    const existing = merged.get(key);
    if (existing) {
      existing.services.push(node.name);
      for (const tag of node.tags) existing.tags.add(tag);
      for (const dep of deps) existing.deps.add(dep);
      continue;
    }
    const job = draftJob(node, graph, { service: node.name }, node.stages, deps, options);
    merged.set(key, {
      first: { job, stages: node.stages },
      services: [...job.services],
      tags: new Set(job.tags),
      deps: new Set(job.dependsOn),
    });
  }
  const drafts: DraftJob[] = [...merged].map(([key, { first, services: names, tags, deps }]) =>
    names.length === first.job.services.length
      ? first
      : {
          job: {
            ...first.job,
            services: names,
            tags: [...tags],
            dependsOn: [...deps].filter((d) => d !== key),
          },
          stages: first.stages,
        },
  );
  const order = sequenceGraph(
    new Map(nodes.map((n) => [n.name, n.dependsOn.filter((d) => selected.has(d))])),
  );
  return { services, drafts, waves: order.chunks };
}
