export { runBuild, type RunBuildOptions } from "./build.js";
export {
  buildCommand,
  buildInvocation,
  dockerfileOnStdin,
  formatCommand,
  type BuildCommand,
  type BuildCommandOptions,
  type HandOff,
} from "./command.js";
export { detectEngine, resetEngineCache, type DetectEngineOptions } from "./detect.js";
export { openEngine, wrapEngine, type BuildEvents, type Engine, type OpenEngineOptions } from "./engine.js";
export {
  parseBuildxInspect,
  parseBuildxVersion,
  parseDockerVersion,
  planEngine,
  type EnginePlan,
  type EngineProbe,
} from "./engine-plan.js";
export { checkEngineHealth, ENGINE_ANSWER_MS, readEngineEndpoint, type EngineHealth } from "./health.js";
export { inspectImages, parseImageInspect, type ImageDetails, type ImageInspection } from "./images.js";
export { describeEngine, planNamedContexts, type NamedContextPlan } from "./named-contexts.js";
export { createProgressParser, type ProgressParser, type ProgressSummary } from "./progress.js";
export { pushCommands, pushTags, type PushCommand, type PushOutcome } from "./push.js";
export {
  isLoopbackRegistry,
  manifestInspectArgs,
  parseLookup,
  parseManifestDigest,
  parsePushDigest,
  type RegistryLookup,
  type TransferOutcome,
} from "./registry.js";
export type { BackendKind, BuildOutcome, EngineInfo, StepProgress } from "./types.js";
