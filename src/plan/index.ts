export { resolveCacheSettings, type LayerCacheOverrides, type LayerCacheSettings } from "./cache-settings.js";
export type { LayerCacheMode, LayerCacheType, ResolveCacheInput } from "./cache-settings.js";
export { jobScopes, type CacheBackend } from "./layer-cache.js";
export type { PlanInputs } from "./input-hashes.js";
export { planJobs, type BuildPlan, type PlannedService, type PlanOptions } from "./plan.js";
export { jobKey, type BuildJob, type JobId, type NamedContext, type SizeProbe } from "./types.js";
export { planInputRequests, type InputRequests } from "./input-requests.js";
