import type { BuildGraph, ServiceNode } from "../graph/types.js";
import { INPUT_HASH_LABEL } from "../inputs/index.js";
import type { Selection } from "../select/select.js";
import { planBuilderFields, type BuilderPlanOptions } from "./builder-fields.js";
import type { LayerCacheSettings } from "./cache-settings.js";
import { freezeJobs } from "./freeze.js";
import { planImageInputs } from "./image-inputs.js";
import { planInputHashes, type PlanInputs } from "./input-hashes.js";
import { applyCacheSettings, type CacheBackend } from "./layer-cache.js";
import { planServiceJobs } from "./service-jobs.js";
import { planStageJobs } from "./stage-plan.js";
import type { BuildJob } from "./types.js";

/** Everything that shapes the jobs besides the graph and the selection. */
export interface PlanOptions {
  noCache?: boolean;
  pull?: boolean;
  /** Build this stage (e.g. `test`) of each requested service that has one, instead of its target. */
  stage?: string;
  /** With `stage`: keep each stage's result as an image. */
  load?: boolean;
  /** Layer cache import and export for every job, and the backend the jobs go to. */
  cache?: { settings: LayerCacheSettings; backend: CacheBackend };
  /** Push every tag of each image after its build. */
  push?: boolean;
  /** What was read for input hashes; without it no job has a hash (each is then always built). */
  inputs?: PlanInputs;
  /** Several builders: each job gets what it asks of its builder and the one it prefers. */
  builders?: BuilderPlanOptions;
  /** A registry (`host[:port]/path`): each hashed job gets its content-addressed tag there. */
  registry?: string;
}

/** One selected service as the plan shows it. */
export interface PlannedService {
  name: string;
  node: ServiceNode;
  /** The key of the job that builds it (its own name, or the service it shares an identical build with). */
  job: string;
  sameBuildAs: string | null;
}

export interface BuildPlan {
  services: PlannedService[];
  /** Final and frozen: nothing changes a job after planning. */
  jobs: readonly BuildJob[];
  /** Selected services grouped by build-time dependency depth. */
  waves: string[][];
  /** With `stage`: requested services whose Dockerfile has no stage of that name (not built). */
  withoutStage: string[];
  /** What the plan could not honor as asked (a cache type this backend lacks, say). */
  warnings: string[];
}

/**
 * Turn the selected services into final build jobs: identical builds merged, dependencies as job keys, layer
 * cache, pushes and input hashes resolved. Pure: what it needs from disk and the engine comes in `inputs`.
 */
export function planJobs(graph: BuildGraph, selection: Selection, options: PlanOptions = {}): BuildPlan {
  const base =
    options.stage === undefined
      ? { ...planServiceJobs(graph, selection.services, options), withoutStage: [] }
      : planStageJobs(graph, selection.requested, options.stage, options);
  const drafts = base.drafts;

  const images = planImageInputs(drafts);
  // Each step copies a job only when it changes it: a plan of 20,000 jobs copied each of them twice.
  const withImages = drafts.map(({ job }) => {
    const external = images.get(job.key)?.external ?? [];
    return external.length === 0 && job.externalImages.length === 0
      ? job
      : { ...job, externalImages: external };
  });
  const cached = options.cache
    ? applyCacheSettings(withImages, options.cache.settings, options.cache.backend)
    : { jobs: withImages, cachePushes: new Map<string, string[]>(), warnings: [] };
  const hashes = options.inputs ? planInputHashes(cached.jobs, images, options.inputs) : undefined;
  const hashed = cached.jobs.map((job): BuildJob => {
    const hash = hashes?.get(job.key);
    const push = options.push ? (job.load ? [...job.tags] : []) : (cached.cachePushes.get(job.key) ?? []);
    if (hash === undefined && push.length === 0 && job.push.length === 0) return job;
    return {
      ...job,
      push,
      ...(hash !== undefined && "hash" in hash
        ? { inputHash: hash.hash, labels: { ...job.labels, [INPUT_HASH_LABEL]: hash.hash } }
        : {}),
      ...(hash !== undefined && "reason" in hash ? { unhashed: hash.reason } : {}),
    };
  });
  const jobs =
    options.builders !== undefined || options.registry !== undefined
      ? planBuilderFields(hashed, images, {
          ...(options.builders !== undefined ? { builders: options.builders } : {}),
          ...(options.registry !== undefined ? { registry: options.registry } : {}),
          projectDir: graph.project.workingDir,
        })
      : hashed;
  return {
    services: base.services,
    jobs: freezeJobs(jobs),
    waves: base.waves,
    withoutStage: base.withoutStage,
    warnings: cached.warnings,
  };
}
