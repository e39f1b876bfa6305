import { runCommand } from "../exec/index.js";
import type { BuildJob } from "../plan/types.js";
import { lastLines } from "../util/last-lines.js";
import { buildCommand, formatCommand, type HandOff } from "./command.js";
import { planNamedContexts } from "./named-contexts.js";
import { createProgressParser } from "./progress.js";
import type { BuildOutcome, EngineInfo, StepProgress } from "./types.js";

export interface RunBuildOptions {
  /** Aborting stops the build's whole process group. */
  signal: AbortSignal;
  onLine?(line: string): void;
  onStep?(step: StepProgress): void;
  /** Called with each thing the backend cannot honor, before the build starts. */
  onWarning?(message: string): void;
  /** Variables the child gets besides dockbuild's own environment (e.g. secrets defined in `.env`). */
  env?: Record<string, string>;
  /** Upstream images read from a registry, and the result's extra tags (an attempt on one of several builders). */
  handOff?: HandOff;
}

/** Run one build on the engine, reporting progress as it goes; a failure is a result, not an exception. */
export async function runBuild(
  job: BuildJob,
  engine: EngineInfo,
  options: RunBuildOptions,
): Promise<BuildOutcome> {
  const render = { progress: "plain" as const, ...(options.handOff ? { handOff: options.handOff } : {}) };
  const plan = planNamedContexts(job, engine, options.handOff?.contexts);
  const base = { steps: 0, cachedSteps: 0, warnings: plan.warnings };
  if (plan.errors.length > 0) {
    const command = formatCommand(buildCommand(job, engine, render));
    return { ...base, ok: false, cancelled: false, command, errorLines: plan.errors };
  }
  if (
    Object.keys({ ...plan.rewrites, ...options.handOff?.images }).length > 0 &&
    job.dockerfileText === undefined &&
    job.dockerfileInline === undefined
  ) {
    const command = formatCommand(buildCommand(job, engine, render));
    const error = `service ${job.key}: the Dockerfile of the remote context ${job.context} cannot be rewritten`;
    return { ...base, ok: false, cancelled: false, command, errorLines: [error] };
  }
  const cmd = buildCommand(job, engine, render);
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
