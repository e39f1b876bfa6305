import { findEdges } from "../graph/build-graph.js";
import { closure } from "../graph/sequence.js";
import type { BuildGraph } from "../graph/types.js";
import { stagesForTarget } from "../dockerfile/index.js";
import type { Selection } from "../select/select.js";
import { planBuild, planJob, type BuildPlan, type PlanOptions } from "./plan.js";
import type { BuildJob } from "./types.js";

export interface StagePlan extends BuildPlan {
  /** Requested services whose Dockerfile has no stage of that name. */
  withoutStage: string[];
}

/**
 * Plan `--stage NAME` (a test stage, say): that stage of each requested service that has one, exported nowhere
 * unless `load` is set; the services those stages build on are built as usual first.
 */
export function planStage(
  graph: BuildGraph,
  selection: Selection,
  stage: string,
  options: PlanOptions & { load?: boolean } = {},
): StagePlan {
  const lower = stage.toLowerCase();
  const withStage = selection.requested.filter((name) =>
    graph.nodes.get(name)?.analysis.stages.some((s) => s.name.toLowerCase() === lower),
  );
  const withoutStage = selection.requested.filter((name) => !withStage.includes(name));
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
  const base = planBuild(graph, { services: upstream, requested: upstream }, options);
  const jobOf = new Map(base.services.map((s) => [s.name, s.job]));

  const jobs: BuildJob[] = planned.map(({ node, stages, needs }) => ({
    ...planJob(node, graph, [], options),
    id: `${node.name}:${stage}`,
    services: [`${node.name}:${stage}`],
    target: stages.at(-1)?.name ?? stage,
    stages: stages.map((s) => s.name),
    tags: [],
    load: options.load === true,
    dependsOn: needs.map((d) => jobOf.get(d) ?? d),
  }));
  return { ...base, jobs: [...base.jobs, ...mergeIdentical(jobs)], withoutStage };
}

/** Stage builds of services sharing a Dockerfile are often the same build: run it once for all of them. */
function mergeIdentical(jobs: BuildJob[]): BuildJob[] {
  const byKey = new Map<string, BuildJob>();
  for (const job of jobs) {
    const { id: _id, services: _services, dependsOn: _deps, ...rest } = job;
    const key = JSON.stringify(rest);
    const first = byKey.get(key);
    if (first) {
      first.services.push(...job.services);
      first.dependsOn = [...new Set([...first.dependsOn, ...job.dependsOn])];
    } else byKey.set(key, { ...job, services: [...job.services] });
  }
  return [...byKey.values()];
}
