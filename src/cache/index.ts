export { restoreBuildCacheMounts, type BuildCacheMounts } from "./build-mounts.js";
export { applyCacheSettings, jobScopes, type AppliedCache } from "./layer-cache.js";
export { pushCommands, pushJobImages, type PushCommand } from "./push.js";
export {
  resolveCacheSettings,
  type LayerCacheCliOptions,
  type LayerCacheMode,
  type LayerCacheSettings,
  type LayerCacheType,
} from "./settings.js";
