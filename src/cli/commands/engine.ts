import { DockbuildError } from "../../errors.js";
import type { BuildJob } from "../../plan/types.js";
import type { ExecuteContext, JobOutcome } from "../../run/scheduler.js";
import {
  buildCommand,
  detectEngine,
  inspectImages,
  runBuild,
  type EngineInfo,
} from "../../backends/index.js";

/** The engine as a build command uses it: one detection per run, then builds, dry-run lines and image sizes. */
export interface Engine {
  info: EngineInfo;
  build(job: BuildJob, context: ExecuteContext, warn: (message: string) => void): Promise<JobOutcome>;
  describe(job: BuildJob): Promise<{ display: string; warnings: string[] }>;
  inspect(refs: string[]): ReturnType<typeof inspectImages>;
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
    async build(job, context, warn) {
      const result = await runBuild(job, info, {
        signal: context.signal,
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
        display: [command.file, ...command.args].map(shellQuote).join(" "),
        warnings: command.warnings,
      };
    },
    inspect: (refs) => inspectImages(info.dockerBinary, refs),
  };
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
