export { affectedServices, readDockerignores, type DockerignoreMap } from "./affected.js";
export { changedFilesSince } from "./changed-files.js";
export {
  listContextFiles,
  parseDockerignore,
  readDockerignore,
  type ContextFile,
  type ContextFileType,
} from "./context-files.js";
export { hashContext, hashContextFiles, type HashContextOptions } from "./context-hash.js";
export { loadGitIndex, type GitIndex, type GitIndexCache } from "./git-index.js";
export {
  computeJobHash,
  INPUT_HASH_LABEL,
  INPUT_HASH_VERSION,
  type HashedBuild,
  type JobHashInput,
} from "./job-hash.js";
export {
  contextKey,
  readContextDigests,
  type ContextDigest,
  type ContextRequest,
  type ReadContextsOptions,
} from "./read-contexts.js";
