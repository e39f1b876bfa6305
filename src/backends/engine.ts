import { DockbuildError } from "../errors.js";
import { runCommand } from "../exec/index.js";
import type { BuildJob } from "../plan/types.js";
import { createBuildBatcher } from "./bake-batch.js";
import { runBuild, type RunBuildOptions } from "./build.js";
import { buildCommand, formatCommand } from "./command.js";
import { detectEngine } from "./detect.js";
import { checkEngineHealth, type EngineHealth } from "./health.js";
import { inspectImages, type ImageDetails } from "./images.js";
import { pushTags, type PushOutcome } from "./push.js";
import type { BuildOutcome, BackendKind, EngineInfo, StepProgress } from "./types.js";

/** What a build reports while it runs. */
export interface BuildEvents {
  signal: AbortSignal;
  onLine(line: string): void;
  onStep(step: StepProgress): void;
  /** Each thing this backend cannot honor, once per run. */
  onWarning(message: string): void;
}

/** The engine as a run uses it: one detection, then builds, pushes, dry-run lines and image queries. */
export interface Engine {
  info: EngineInfo;
  /** `environment`: the project's (`.env` and the process), where `secrets: { environment: VAR }` are found. */
  build(
    job: BuildJob,
    events: BuildEvents,
    environment?: Readonly<Record<string, string>>,
  ): Promise<BuildOutcome>;
  /** The command a build would run, and what this backend cannot honor of the job. */
  describe(job: BuildJob): { display: string; warnings: string[] };
  inspect(refs: string[]): Promise<Map<string, ImageDetails>>;
  /** Push the job's `push` tags, in order. */
  push(job: BuildJob, events: Pick<BuildEvents, "signal" | "onLine">): Promise<PushOutcome>;
  /** Remove tags dockbuild made for itself (the layers stay in the engine's cache). */
  untag(refs: string[]): Promise<void>;
  /** Whether the engine still answers (within seconds); where it was asked when it does not. */
  health(): Promise<EngineHealth>;
}

export interface OpenEngineOptions {
  dockerBinary?: string;
  backend?: BackendKind | "auto";
  /** A dry run goes on without an engine, showing the forced or the buildx backend's commands. */
  dryRun?: boolean;
  env?: Record<string, string | undefined>;
  /** Told when a dry run goes on without an engine. */
  onWarning?(message: string): void;
}

/** Detect the engine once and wrap it for a run. */
export async function openEngine(options: OpenEngineOptions): Promise<Engine> {
  const env = options.env ?? process.env;
  let info: EngineInfo;
  try {
    info = await detectEngine({ dockerBinary: options.dockerBinary, backend: options.backend, env });
  } catch (error) {
    if (!options.dryRun || !(error instanceof DockbuildError)) throw error;
    const backend = options.backend === "docker" ? "docker" : "buildx";
    info = {
      backend,
      dockerBinary: options.dockerBinary ?? env.DOCKBUILD_DOCKER ?? "docker",
      clientVersion: "unknown",
      serverVersion: "unknown",
      namedContexts: backend === "buildx",
    };
    options.onWarning?.(`no engine answered (${error.message}); showing ${backend} commands`);
  }
  const warned = new Set<string>();
  // the docker driver names each image as it is done, which lets builds started together share one bake
  const start =
    info.backend === "buildx" && info.buildxDriver === "docker" && !options.dryRun
      ? createBuildBatcher(info)
      : (job: BuildJob, run: RunBuildOptions) => runBuild(job, info, run);
  return {
    info,
    build: (job, events, environment) =>
      start(job, {
        signal: events.signal,
        env: secretEnvironment(job, environment ?? {}),
        onLine: events.onLine,
        onStep: events.onStep,
        onWarning: (w: string) => {
          if (!warned.has(w)) events.onWarning(w);
          warned.add(w);
        },
      }),
    describe(job) {
      const command = buildCommand(job, info, { progress: "plain" });
      // As it runs: with the environment it needs (DOCKER_BUILDKIT=1 for the docker backend).
      return { display: formatCommand(command), warnings: command.warnings };
    },
    inspect: (refs) => inspectImages(info, refs),
    push: (job, events) => pushTags(job, info, events),
    untag: async (refs) => {
      if (refs.length > 0) await runCommand(info.dockerBinary, ["image", "rm", ...refs]);
    },
    health: () => checkEngineHealth(info.dockerBinary, env),
  };
}

/**
 * The values of the secrets a build takes from environment variables that only the project's `.env` defines:
 * the client reads them from its own environment, so they go there — never into argv or output.
 */
function secretEnvironment(
  job: BuildJob,
  environment: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const secret of job.secrets) {
    const name = secret.environment;
    if (name === undefined || process.env[name] !== undefined) continue;
    const value = environment[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
