import type { BuildGraph, ServiceNode } from "../graph/types.js";
import { identicalBuildKey } from "../graph/identical.js";
import { sequenceGraph } from "../graph/sequence.js";
import type { Selection } from "../select/select.js";
import { toNamedContext } from "./named-context.js";
import type { BuildJob } from "./types.js";

export interface PlanOptions {
  noCache?: boolean;
  pull?: boolean;
}

/** One selected service as the plan shows it. */
export interface PlannedService {
  name: string;
  node: ServiceNode;
  /** The job that builds it (its own name, or the service it shares an identical build with). */
  job: string;
  sameBuildAs: string | null;
}

export interface BuildPlan {
  services: PlannedService[];
  jobs: BuildJob[];
  /** Selected services grouped by build-time dependency depth. */
  waves: string[][];
}

/** Turn the selected services into build jobs: identical builds merged, dependencies as job ids. */
export function planBuild(graph: BuildGraph, selection: Selection, options: PlanOptions = {}): BuildPlan {
  const selected = new Set(selection.services);
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

  const jobs = new Map<string, BuildJob>();
  for (const { node, job: jobId } of services) {
    const existing = jobs.get(jobId);
    const deps = node.dependsOn.filter((d) => selected.has(d)).map((d) => jobOf.get(d) ?? d);
    if (existing) {
      existing.services.push(node.name);
      existing.tags = [...new Set([...existing.tags, ...node.tags])];
      existing.dependsOn = [...new Set([...existing.dependsOn, ...deps])].filter((d) => d !== jobId);
      continue;
    }
    jobs.set(jobId, planJob(node, graph, deps, options));
  }

  const order = sequenceGraph(
    new Map(nodes.map((n) => [n.name, n.dependsOn.filter((d) => selected.has(d))])),
  );
  return { services, jobs: [...jobs.values()], waves: order.chunks };
}

/** One service's build as the engine gets it; the caller sets which jobs it waits for. */
export function planJob(
  node: ServiceNode,
  graph: BuildGraph,
  dependsOn: string[],
  options: PlanOptions,
): BuildJob {
  const b = node.build;
  const namedContexts: BuildJob["namedContexts"] = {};
  for (const [name, value] of Object.entries(b.additionalContexts)) {
    namedContexts[name] = toNamedContext(value, graph);
  }
  return {
    id: node.name,
    services: [node.name],
    context: b.context,
    dockerfile: b.dockerfileInline === undefined ? b.dockerfile : undefined,
    dockerfileInline: b.dockerfileInline,
    target: b.target,
    stages: node.stages.map((s) => s.name),
    args: node.args,
    tags: node.tags,
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
    load: true,
  };
}
