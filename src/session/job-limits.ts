import type { Config } from "../config/schema.js";
import type { BuildJob } from "../plan/index.js";
import { formatDuration } from "../report/format.js";
import type { JobOutcome } from "../run/types.js";
import { parseDuration } from "../util/duration.js";

/** How long a job may run, and how long it may stay silent before the user is told. */
export interface JobLimits {
  /** Stop and fail a job that runs longer than this; undefined or 0: no limit. */
  timeoutMs?: number;
  /** Warn each time a job has printed nothing for this long; undefined or 0: never. */
  stallWarningMs?: number;
}

/** A build that prints nothing for a minute is worth a word: the engine may be hung. */
const DEFAULT_STALL_WARNING_MS = 60_000;

/** The options' time limits over the config's (a duration in the config is text or a number of seconds). */
export function resolveJobLimits(
  options: JobLimits,
  config: Pick<Config, "timeout" | "stallWarning">,
): JobLimits {
  const fromConfig = (value: string | number | undefined) =>
    value === undefined ? undefined : parseDuration(String(value));
  return {
    timeoutMs: options.timeoutMs ?? fromConfig(config.timeout),
    stallWarningMs: options.stallWarningMs ?? fromConfig(config.stallWarning) ?? DEFAULT_STALL_WARNING_MS,
  };
}

/** What a silent job's warning says besides the silence itself (whether the engine still answers). */
export type DescribeStall = () => Promise<string | undefined>;

/**
 * Run one job within its limits. `run` gets the signal to stop on (the run's, or the time limit's) and a
 * function to call on each line of output; a job stopped by its time limit fails with a line that says so.
 */
export async function runWithinLimits(
  job: BuildJob,
  signal: AbortSignal,
  limits: JobLimits,
  hooks: { warning(message: string): void; describeStall?: DescribeStall },
  run: (signal: AbortSignal, onOutput: () => void) => Promise<JobOutcome>,
): Promise<JobOutcome> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  if (signal.aborted) stop.abort();

  let timedOut = false;
  const timeout = limits.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        stop.abort();
      }, limits.timeoutMs)
    : undefined;

  // A warning after each further `stallWarningMs` of silence, counted from the job's last line.
  let lastOutput = Date.now();
  let warned = 0;
  const stallMs = limits.stallWarningMs;
  const stall = stallMs
    ? setInterval(
        () => {
          if (Date.now() - lastOutput < stallMs * (warned + 1) || stop.signal.aborted) return;
          warned += 1;
          void warnStalled(job, stallMs * warned, hooks);
        },
        Math.min(stallMs / 4, 1000),
      )
    : undefined;
  const onOutput = () => {
    lastOutput = Date.now();
    warned = 0;
  };

  try {
    const outcome = await run(stop.signal, onOutput);
    if (!timedOut || signal.aborted || outcome.status === "built" || outcome.status === "up-to-date") {
      return outcome;
    }
    const limit = formatDuration(limits.timeoutMs ?? 0);
    return {
      ...outcome,
      status: "failed",
      errorLines: [
        ...(outcome.errorLines ?? []),
        `stopped: ${job.key} ran longer than its time limit of ${limit} (timeout)`,
      ],
    };
  } finally {
    clearTimeout(timeout);
    clearInterval(stall);
    signal.removeEventListener("abort", onAbort);
  }
}

async function warnStalled(
  job: BuildJob,
  silentMs: number,
  hooks: { warning(message: string): void; describeStall?: DescribeStall },
): Promise<void> {
  const more = await hooks.describeStall?.().catch(() => undefined);
  hooks.warning(`${job.key}: no output for ${formatDuration(silentMs)}${more ? `; ${more}` : ""}`);
}
