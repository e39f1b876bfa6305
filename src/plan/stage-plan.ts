import { stagesForTarget } from "../dockerfile/index.js";
import { findEdges } from "../graph/build-graph.js";
import { closure } from "../graph/sequence.js";
import type { BuildGraph } from "../graph/types.js";
import { draftJob, type DraftJob } from "./draft-job.js";
import type { PlannedService, PlanOptions } from "./plan.js";
import { planServiceJobs } from "./service-jobs.js";

export interface StageJobs {
  services: PlannedService[];
  /** The service jobs the stages build on, then one job per distinct stage build. */
  drafts: DraftJob[];
  waves: string[][];
  /** Requested services whose Dockerfile has no stage of that name. */
  withoutStage: string[];
}

/**
 * `--stage NAME` (a test stage, say): that stage of each requested service that has one, exported nowhere
 * unless `load` is set; the services those stages build on are built as usual first.
 */
export function planStageJobs(
  graph: BuildGraph,
  requested: readonly string[],
  stage: string,
  options: PlanOptions,
): StageJobs {
  const lower = stage.toLowerCase();
  const withStage = requested.filter((name) =>
    graph.nodes.get(name)?.analysis.stages.some((s) => s.name.toLowerCase() === lower),
  );
  const withoutStage = requested.filter((name) => !withStage.includes(name));
  const planned = withStage.flatMap((name) => {
    const node = graph.nodes.get(name);
    if (!node) return [];
    const stages = stagesForTarget(node.analysis, stage);
    const edges = findEdges({ ...node, stages }, graph.imageOwners, graph.nodes, []);
    return [{ node, stages, needs: [...new Set(edges.map((e) => e.to))] }];
  });
  const deps = new Map([...graph.nodes.values()].map((n) => [n.name, n.dependsOn]));
  const upstream = [
    ...closure(
      deps,
      planned.flatMap((p) => p.needs),
    ),
  ];
  const base = planServiceJobs(graph, upstream, options);
  const jobOf = new Map(base.services.map((s) => [s.name, s.job]));
  const stageDrafts = planned.map(({ node, stages, needs }) => ({
    job: draftJob(
      node,
      graph,
      { service: node.name, stage },
      stages,
      needs.map((d) => jobOf.get(d) ?? d),
      options,
    ),
    stages,
  }));
  return { ...base, drafts: [...base.drafts, ...mergeIdentical(stageDrafts)], withoutStage };
}

/** Stage builds of services sharing a Dockerfile are often the same build: run it once for all of them. */
function mergeIdentical(drafts: readonly DraftJob[]): DraftJob[] {
  const byKey = new Map<string, DraftJob>();
  for (const draft of drafts) {
    const { id: _id, key: _key, services: _services, dependsOn: _deps, ...rest } = draft.job;
    const key = JSON.stringify(rest);
    const first = byKey.get(key);
    byKey.set(
      key,
      first
        ? {
            ...first,
            job: {
              ...first.job,
              services: [...first.job.services, ...draft.job.services],
              dependsOn: [...new Set([...first.job.dependsOn, ...draft.job.dependsOn])],
            },
          }
        : draft,
    );
  }
  return [...byKey.values()];
}
