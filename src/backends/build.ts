import { readFile } from "node:fs/promises";
import path from "node:path";
import { rewriteReferences } from "../dockerfile/index.js";
import { runCommand } from "../exec/index.js";
import type { BuildJob } from "../plan/types.js";
import { isRemoteContext } from "../util/remote-context.js";
import type { StepProgress } from "../run/types.js";
import { buildCommand, formatCommand } from "./command.js";
import { planNamedContexts } from "./named-contexts.js";
import { createProgressParser } from "./progress.js";
import type { BuildOutcome, EngineInfo } from "./types.js";

export interface RunBuildOptions {
  /** Aborting stops the build's whole process group. */
  signal: AbortSignal;
  /** The Dockerfile text to build instead of `job.dockerfile` (rewritten here too when contexts need it). */
  dockerfileText?: string;
  onLine?(line: string): void;
  onStep?(step: StepProgress): void;
  /** Called with each thing the backend cannot honor, before the build starts. */
  onWarning?(message: string): void;
  /** Variables the child gets besides dockbuild's own environment (e.g. secrets defined in `.env`). */
  env?: Record<string, string>;
  /** Replaces references to context names by images; defaults to the dockerfile module's. */
  rewriteReferences?(text: string, replacements: Record<string, string>, job: BuildJob): string;
}

const MAX_FALLBACK_LINES = 20;

/** Run one build on the engine, reporting progress as it goes; a failure is a result, not an exception. */
export async function runBuild(
  job: BuildJob,
  engine: EngineInfo,
  options: RunBuildOptions,
): Promise<BuildOutcome> {
  const plan = planNamedContexts(job, engine);
  const base = { steps: 0, cachedSteps: 0, warnings: plan.warnings };
  if (plan.errors.length > 0) {
    const command = formatCommand(buildCommand(job, engine, { progress: "plain" }));
    return { ...base, ok: false, cancelled: false, command, errorLines: plan.errors };
  }
  let dockerfileText = options.dockerfileText;
  if (Object.keys(plan.rewrites).length > 0) {
    const source =
      dockerfileText !== undefined ? { ok: true as const, text: dockerfileText } : await readDockerfile(job);
    if (!source.ok) {
      const command = formatCommand(buildCommand(job, engine, { progress: "plain" }));
      return { ...base, ok: false, cancelled: false, command, errorLines: [source.error] };
    }
    const rewrite = options.rewriteReferences ?? defaultRewrite;
    dockerfileText = rewrite(source.text, plan.rewrites, job);
  }
  const cmd = buildCommand(job, engine, { progress: "plain", dockerfileText });
  const command = formatCommand(cmd);
  for (const warning of cmd.warnings) options.onWarning?.(warning);
  const outcome = { ...base, command, warnings: cmd.warnings };
  if (options.signal.aborted) return { ...outcome, ok: false, cancelled: true, errorLines: [] };

  const parser = createProgressParser();
  const result = await runCommand(cmd.file, cmd.args, {
    env: { ...options.env, ...cmd.env },
    input: cmd.stdin,
    signal: options.signal,
    detached: true,
    onLine: (line) => {
      options.onLine?.(line);
      const step = parser.push(line);
      if (step) options.onStep?.(step);
    },
  });
  const summary = parser.summary();
  const cancelled = result.isCanceled || options.signal.aborted;
  const ok = !result.failed && !cancelled;
  let errorLines = ok || cancelled ? [] : summary.errorLines;
  if (result.spawnError !== undefined)
    errorLines = [`${cmd.file} could not be started: ${result.spawnError}`];
  else if (!ok && !cancelled && errorLines.length === 0) errorLines = lastLines(result.all);
  return {
    ...outcome,
    ok,
    cancelled,
    ...(summary.imageId !== undefined ? { imageId: summary.imageId } : {}),
    steps: summary.steps,
    cachedSteps: summary.cachedSteps,
    errorLines,
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
  };
}

function defaultRewrite(text: string, replacements: Record<string, string>, job: BuildJob): string {
  return rewriteReferences(text, replacements, {
    buildArgs: job.args,
    platform: { target: job.platforms[0] },
  });
}

/** The Dockerfile this job builds, read so that its references can be rewritten. */
async function readDockerfile(
  job: BuildJob,
): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  if (job.dockerfileInline !== undefined) return { ok: true, text: job.dockerfileInline };
  if (isRemoteContext(job.context)) {
    return {
      ok: false,
      error: `service ${job.id}: the Dockerfile of the remote context ${job.context} cannot be rewritten`,
    };
  }
  const file = job.dockerfile ?? path.join(job.context, "Dockerfile");
  try {
    return { ok: true, text: await readFile(file, "utf8") };
  } catch (error) {
    return {
      ok: false,
      error: `service ${job.id}: cannot read ${file} to rewrite it: ${(error as Error).message}`,
    };
  }
}

function lastLines(output: string): string[] {
  return output
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "")
    .slice(-MAX_FALLBACK_LINES);
}
