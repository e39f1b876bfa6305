export { runBuild, type RunBuildOptions } from "./build.js";
export { buildCommand, formatCommand, type BuildCommand, type BuildCommandOptions } from "./command.js";
export { detectEngine, resetEngineCache, type DetectEngineOptions } from "./detect.js";
export {
  parseBuildxInspect,
  parseBuildxVersion,
  parseDockerVersion,
  planEngine,
  type EnginePlan,
  type EngineProbe,
} from "./engine-plan.js";
export { inspectImages, parseImageInspect, type ImageDetails, type ImageInspection } from "./images.js";
export { describeEngine, planNamedContexts, type NamedContextPlan } from "./named-contexts.js";
export { createProgressParser, type ProgressParser, type ProgressSummary } from "./progress.js";
export type { BackendKind, BuildOutcome, EngineInfo } from "./types.js";
