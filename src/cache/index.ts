export { restoreBuildCacheMounts, type BuildCacheMounts } from "./build-mounts.js";
