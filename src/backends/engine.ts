import { DockbuildError } from "../errors.js";
import { runCommand } from "../exec/index.js";
import { lastLines } from "../util/last-lines.js";
import type { BuildJob } from "../plan/types.js";
import { createBuildBatcher } from "./bake-batch.js";
import { runBuild, type RunBuildOptions } from "./build.js";
import { buildCommand, formatCommand, type HandOff } from "./command.js";
import { detectEngine } from "./detect.js";
import { checkEngineHealth, type EngineHealth } from "./health.js";
import { inspectImages, type ImageDetails } from "./images.js";
import { pushTags, type PushOutcome } from "./push.js";
import {
  lookupRegistryImage,
  pullImage,
  pushImage,
  type RegistryLookup,
  type TransferOutcome,
} from "./registry.js";
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
  /**
   * `environment`: the project's (`.env` and the process), where `secrets: { environment: VAR }` are found.
   * `handOff`: upstream images this attempt reads from a registry, and the result's extra tags.
   */
  build(
    job: BuildJob,
    events: BuildEvents,
    environment?: Readonly<Record<string, string>>,
    handOff?: HandOff,
  ): Promise<BuildOutcome>;
  /** The command a build would run, and what this backend cannot honor of the job. */
  describe(job: BuildJob, handOff?: HandOff): { display: string; warnings: string[] };
  inspect(refs: string[]): Promise<Map<string, ImageDetails>>;
  /** Push the job's `push` tags, in order. */
  push(job: BuildJob, events: Pick<BuildEvents, "signal" | "onLine">): Promise<PushOutcome>;
  /** Remove tags dockbuild made for itself (the layers stay in the engine's cache). */
  untag(refs: string[]): Promise<void>;
  /** Tag an image the engine holds as `target` and push it; the digest the registry gave it. */
  pushImage(
    source: string,
    target: string,
    events: Pick<BuildEvents, "signal" | "onLine">,
  ): Promise<TransferOutcome>;
  /** Pull a registry image (by digest) into the engine and give it these tags. */
  pullImage(
    ref: string,
    tags: readonly string[],
    events: Pick<BuildEvents, "signal" | "onLine">,
  ): Promise<TransferOutcome>;
  /** Whether a registry holds `ref`, asked through this client (its credentials). */
  lookup(ref: string): Promise<RegistryLookup>;
  /** Undefined when the engine answers now; else why it does not. */
  probe(): Promise<string | undefined>;
  /** Which image store this is (`docker info`: id, host name, data root): two builders with one share it. */
  engineId(): Promise<string | undefined>;
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
  /** Global flags that point the client at a builder's engine (`-H unix:///…`, `--context NAME`). */
  clientArgs?: readonly string[];
  /** A buildx builder by name (implies the buildx backend). */
  buildxBuilder?: string;
}

/** Detect the engine once and wrap it for a run. */
export async function openEngine(options: OpenEngineOptions): Promise<Engine> {
  const env = options.env ?? process.env;
  let info: EngineInfo;
  try {
    info = await detectEngine({
      dockerBinary: options.dockerBinary,
      backend: options.backend,
      env,
      ...(options.clientArgs !== undefined ? { clientArgs: options.clientArgs } : {}),
      ...(options.buildxBuilder !== undefined ? { buildxBuilder: options.buildxBuilder } : {}),
    });
  } catch (error) {
    if (!options.dryRun || !(error instanceof DockbuildError)) throw error;
    const backend = options.backend === "docker" ? "docker" : "buildx";
    info = {
      backend,
      dockerBinary: options.dockerBinary ?? env.DOCKBUILD_DOCKER ?? "docker",
      clientVersion: "unknown",
      serverVersion: "unknown",
      namedContexts: backend === "buildx",
      ...(options.clientArgs !== undefined ? { clientArgs: options.clientArgs } : {}),
      ...(options.buildxBuilder !== undefined ? { buildxBuilder: options.buildxBuilder } : {}),
    };
    options.onWarning?.(`no engine answered (${error.message}); showing ${backend} commands`);
  }
  return wrapEngine(info, env);
}

/** The engine operations for what detection found (or for it with other client flags: another engine). */
export function wrapEngine(info: EngineInfo, env: Record<string, string | undefined> = process.env): Engine {
  const warned = new Set<string>();
  const client = info.clientArgs ?? [];
  // the docker driver names each image as it is done, which lets builds started together share one bake;
  // one batcher per engine, so that a bake only ever holds builds for the same builder
  const start =
    info.backend === "buildx" && info.buildxDriver === "docker"
      ? createBuildBatcher(info)
      : (job: BuildJob, run: RunBuildOptions) => runBuild(job, info, run);
  return {
    info,
    build: (job, events, environment, handOff) =>
      start(job, {
        ...(handOff !== undefined ? { handOff } : {}),
        signal: events.signal,
        env: secretEnvironment(job, environment ?? {}),
        onLine: events.onLine,
        onStep: events.onStep,
        onWarning: (w: string) => {
          if (!warned.has(w)) events.onWarning(w);
          warned.add(w);
        },
      }),
    describe(job, handOff) {
      const command = buildCommand(job, info, { progress: "plain", ...(handOff ? { handOff } : {}) });
      // As it runs: with the environment it needs (DOCKER_BUILDKIT=1 for the docker backend).
      return { display: formatCommand(command), warnings: command.warnings };
    },
    inspect: (refs) => inspectImages(info, refs),
    push: (job, events) => pushTags(job, info, events),
    untag: async (refs) => {
      if (refs.length > 0) await runCommand(info.dockerBinary, [...client, "image", "rm", ...refs]);
    },
    pushImage: (source, target, events) => pushImage(info, source, target, events),
    pullImage: (ref, tags, events) => pullImage(info, ref, tags, events),
    lookup: (ref) => lookupRegistryImage(info, ref),
    probe: async () => {
      // A buildx builder that keeps no images of its own is asked through buildx; an engine, directly.
      const storeless = info.buildxBuilder !== undefined && client.length === 0;
      const args = storeless
        ? ["buildx", "inspect", info.buildxBuilder as string]
        : [...client, "version", "--format", "{{.Server.Version}}"];
      const result = await runCommand(info.dockerBinary, args, { timeoutMs: 20_000 });
      if (!result.failed && result.stdout.trim() !== "") return undefined;
      if (result.timedOut) return "it did not answer within 20 s";
      return lastLines(result.all, 3).join(" ") || "it gave no answer";
    },
    engineId: async () => {
      // The id alone is not enough: engines started beside each other share /etc/docker's key, and so its id.
      const format = "{{.ID}}|{{.Name}}|{{.DockerRootDir}}";
      const result = await runCommand(info.dockerBinary, [...client, "info", "--format", format], {
        timeoutMs: 30_000,
      });
      const id = result.stdout.trim();
      return result.failed || id === "" || id.startsWith("|") ? undefined : id;
    },
    health: () => checkEngineHealth(info.dockerBinary, env, client),
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
