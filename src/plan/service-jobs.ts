import { identicalBuildKey } from "../graph/identical.js";
import { sequenceGraph } from "../graph/sequence.js";
import type { BuildGraph } from "../graph/types.js";
import { draftJob, type DraftJob } from "./draft-job.js";
import type { PlannedService, PlanOptions } from "./plan.js";
import type { BuildJob } from "./types.js";

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

  const drafts = new Map<string, DraftJob>();
  for (const { node, job: key } of services) {
    const deps = node.dependsOn.filter((d) => selected.has(d)).map((d) => jobOf.get(d) ?? d);
    const existing = drafts.get(key)?.job;
    const job: BuildJob = existing
      ? {
          ...existing,
          services: [...existing.services, node.name],
          tags: [...new Set([...existing.tags, ...node.tags])],
          dependsOn: [...new Set([...existing.dependsOn, ...deps])].filter((d) => d !== key),
        }
      : draftJob(node, graph, { service: node.name }, node.stages, deps, options);
    drafts.set(key, { job, stages: node.stages });
  }
  const order = sequenceGraph(
    new Map(nodes.map((n) => [n.name, n.dependsOn.filter((d) => selected.has(d))])),
  );
  return { services, drafts: [...drafts.values()], waves: order.chunks };
}
