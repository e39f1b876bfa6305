export { resolveCacheSettings, type LayerCacheOverrides, type LayerCacheSettings } from "./cache-settings.js";
export type { LayerCacheMode, LayerCacheType, ResolveCacheInput } from "./cache-settings.js";
export { jobScopes, type CacheBackend } from "./layer-cache.js";
export type { PlanInputs } from "./input-hashes.js";
export { planJobs, type BuildPlan, type PlannedService, type PlanOptions } from "./plan.js";
export {
  jobKey,
  type BuildJob,
  type JobId,
  type NamedContext,
  type SizeProbe,
  type UpstreamUse,
} from "./types.js";
export {
  placementKeyOf,
  registryImageFor,
  repositoryName,
  type BuilderPlanOptions,
} from "./builder-fields.js";
export { planInputRequests, type InputRequests } from "./input-requests.js";
