export { analyzeDockerfile } from "./analyze-dockerfile.js";
export { analysisAsFile } from "./analysis-as-file.js";
export type { BuildArgs } from "./arg-scope.js";
export { cacheMountSafety } from "./cache-mount-safety.js";
export { externalReferences, type ExternalReference } from "./external-references.js";
export { checkDockerfileBytes, MAX_DOCKERFILE_BYTES, MAX_LINE_BYTES } from "./limits.js";
export {
  DOCKERFILE_INSTRUCTIONS,
  asFile,
  parseDockerfile,
  type ParsedDockerfile,
} from "./parse-dockerfile.js";
export { hostPlatform, platformArgs, type PlatformChoice } from "./platform-args.js";
export { contextName, rewriteReferences, type RewriteOptions } from "./rewrite-references.js";
export { builderStageOf } from "./builder-stage.js";
export { stagesForTarget } from "./stages-for-target.js";
export type * from "./types.js";
