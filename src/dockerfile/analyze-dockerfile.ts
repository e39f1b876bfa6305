import type { BuildArgs } from "./arg-scope.js";
import type { ParsedDockerfile } from "./parse-dockerfile.js";
import type { PlatformChoice } from "./platform-args.js";
import { scanDockerfile } from "./scan-dockerfile.js";
import type { DockerfileAnalysis } from "./types.js";

/**
 * The stages of a Dockerfile and what each is built from, copies from and mounts, with ARGs expanded for one
 * set of build args and platforms, so the graph can find build-time edges before anything runs. Pure; never
 * throws: what BuildKit would reject comes back in `errors`, what it would build with surprises in `warnings`.
 * Pass a `parseDockerfile` result to analyze one Dockerfile for several builds without parsing it again.
 */
export function analyzeDockerfile(
  source: string | ParsedDockerfile,
  file: string,
  buildArgs: BuildArgs = {},
  platform?: PlatformChoice,
): DockerfileAnalysis {
  const { stages, globalArgs, resolvedArgs, warnings, errors } = scanDockerfile(
    source,
    file,
    buildArgs,
    platform,
  );
  return { file, stages, globalArgs, resolvedArgs, warnings, errors };
}
