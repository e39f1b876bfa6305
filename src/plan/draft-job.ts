import { builderStageOf, type Stage } from "../dockerfile/index.js";
import { toNamedContext } from "../graph/named-context.js";
import { isRemoteContext } from "../util/remote-context.js";
import type { BuildGraph, ServiceNode } from "../graph/types.js";
import type { PlanOptions } from "./plan.js";
import { jobKey, type BuildJob, type JobId } from "./types.js";

/** A job before the plan-wide steps, with the stages it runs. */
export interface DraftJob {
  job: BuildJob;
  stages: readonly Stage[];
}

/** One build of `node` running `stages` (its target's, or a `--stage` stage's), before the plan-wide steps. */
export function draftJob(
  node: ServiceNode,
  graph: BuildGraph,
  id: JobId,
  stages: readonly Stage[],
  dependsOn: readonly string[],
  options: PlanOptions,
): BuildJob {
  const b = node.build;
  const namedContexts: BuildJob["namedContexts"] = Object.fromEntries(
    Object.entries(b.additionalContexts).map(([name, value]) => [name, toNamedContext(value, graph)]),
  );
  const stageJob = id.stage !== undefined;
  const probe = stageJob ? undefined : builderStageOf(stages);
  const remote = b.dockerfileInline === undefined && isRemoteContext(b.context);
  return {
    id,
    key: jobKey(id),
    services: [jobKey(id)],
    context: b.context,
    dockerfile: b.dockerfileInline === undefined ? b.dockerfile : undefined,
    dockerfileInline: b.dockerfileInline,
    dockerfileText: remote ? undefined : node.dockerfileText,
    target: stageJob ? (stages.at(-1)?.name ?? id.stage) : b.target,
    stages: stages.map((s) => s.name),
    args: node.args,
    tags: stageJob ? [] : node.tags,
    labels: b.labels,
    platforms: b.platforms,
    namedContexts,
    secrets: b.secrets,
    ssh: b.ssh,
    network: b.network,
    extraHosts: b.extraHosts,
    shmSize: b.shmSize,
    ulimits: b.ulimits,
    privileged: b.privileged,
    entitlements: b.entitlements,
    noCache: options.noCache === true || b.noCache,
    pull: options.pull === true || b.pull,
    cacheFrom: b.cacheFrom,
    cacheTo: b.cacheTo,
    dependsOn: [...new Set(dependsOn)],
    load: stageJob ? options.load === true : true,
    push: [],
    externalImages: [],
    cacheMounts: stages.flatMap((s) => s.cacheMounts),
    ...(probe !== undefined
      ? {
          sizeProbe: {
            stage: probe,
            stages: stages.slice(0, stages.findIndex((s) => s.name === probe) + 1).map((s) => s.name),
          },
        }
      : {}),
  };
}
