import { DockbuildError } from "../../errors.js";
import { runCommand } from "../../exec/index.js";
import type { BuildJob } from "../../plan/types.js";
import type { ExecuteContext, JobOutcome } from "../../run/scheduler.js";
import {
  buildCommand,
  detectEngine,
  formatCommand,
  inspectImages,
  runBuild,
  type EngineInfo,
} from "../../backends/index.js";

/** The engine as a build command uses it: one detection per run, then builds, dry-run lines and image sizes. */
export interface Engine {
  info: EngineInfo;
  /** `environment`: the project's (`.env` and the process), where `secrets: { environment: VAR }` are found. */
  build(
    job: BuildJob,
    context: ExecuteContext,
    warn: (message: string) => void,
    environment?: Record<string, string>,
  ): Promise<JobOutcome>;
  describe(job: BuildJob): Promise<{ display: string; warnings: string[] }>;
  inspect(refs: string[]): ReturnType<typeof inspectImages>;
  /** Remove tags dockbuild made for itself (the layers stay in the engine's cache). */
  untag(refs: string[]): Promise<void>;
}

/** Detect the engine once (a dry run without an engine falls back to the forced or the buildx backend). */
export async function prepareEngine(options: {
  dockerBinary?: string;
  backend?: "auto" | "buildx" | "docker";
  dryRun: boolean;
}): Promise<Engine> {
  let info: EngineInfo;
  try {
    info = await detectEngine({
      dockerBinary: options.dockerBinary,
      backend: options.backend,
      env: process.env,
    });
  } catch (error) {
    if (!options.dryRun || !(error instanceof DockbuildError)) throw error;
    const backend = options.backend === "docker" ? "docker" : "buildx";
    info = {
      backend,
      dockerBinary: options.dockerBinary ?? process.env.DOCKBUILD_DOCKER ?? "docker",
      clientVersion: "unknown",
      serverVersion: "unknown",
      namedContexts: backend === "buildx",
    };
    process.stderr.write(`warning: no engine answered (${error.message}); showing ${backend} commands\n`);
  }
  const warned = new Set<string>();
  return {
    info,
    async build(job, context, warn, environment) {
      const result = await runBuild(job, info, {
        signal: context.signal,
        env: secretEnvironment(job, environment ?? {}),
        onLine: context.onLine,
        onStep: context.onStep,
        onWarning: (w: string) => {
          if (!warned.has(w)) warn(w);
          warned.add(w);
        },
      });
      context.onCommand(result.command);
      return {
        status: result.cancelled ? "cancelled" : result.ok ? "built" : "failed",
        imageId: result.imageId,
        steps: result.steps,
        cachedSteps: result.cachedSteps,
        errorLines: result.errorLines,
        command: result.command,
      };
    },
    async describe(job) {
      const command = buildCommand(job, info, { progress: "plain" });
      return {
        // As it runs: with the environment it needs (DOCKER_BUILDKIT=1 for the docker backend).
        display: formatCommand(command),
        warnings: command.warnings,
      };
    },
    inspect: (refs) => inspectImages(info.dockerBinary, refs),
    untag: async (refs) => {
      if (refs.length > 0) await runCommand(info.dockerBinary, ["image", "rm", ...refs]);
    },
  };
}

/**
 * The values of the secrets a build takes from environment variables that only the project's `.env` defines:
 * the client reads them from its own environment, so they go there — never into argv or output.
 */
function secretEnvironment(job: BuildJob, environment: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const secret of job.secrets) {
    const name = secret.environment;
    if (name === undefined || process.env[name] !== undefined) continue;
    const value = environment[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
