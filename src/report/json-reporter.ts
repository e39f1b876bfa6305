import type { BuildJob } from "../plan/types.js";
import type { StepProgress } from "../backends/types.js";
import type { JobResult, JobStatus } from "../run/types.js";
import type { Reporter } from "./reporter.js";
import { byService, overBuilders } from "./format.js";

/** One line of `--progress json`; `time` is milliseconds since the epoch. */
export type JsonEvent =
  /** a job was handed to the engine (on several builders: to `builder`, `attempt` 2 after one failed) */
  | {
      event: "start";
      time: number;
      service: string;
      services: string[];
      target: string | null;
      builder?: string;
      attempt?: number;
    }
  /** the engine moved to another step */
  | ({ event: "step"; time: number; service: string } & StepProgress)
  /** one line of the engine's output */
  | { event: "log"; time: number; service: string; line: string }
  /** a job ended (or was skipped or cancelled without starting) */
  | {
      event: "finish";
      time: number;
      service: string;
      services: string[];
      status: JobStatus;
      durationMs: number;
      imageId: string | null;
      steps: number;
      cachedSteps: number;
      errorLines?: string[];
      reason?: string;
      command?: string;
      builder?: string | null;
      registryImage?: string;
      handOffs?: Record<string, string>;
    }
  /** something the user should know that did not stop the run */
  | { event: "warning"; time: number; message: string }
  /** the run ended; counts are per service, as in the summary */
  | {
      event: "done";
      time: number;
      durationMs: number;
      interrupted: boolean;
      counts: Record<"built" | "up-to-date" | "failed" | "skipped" | "cancelled", number>;
    };

/** Where the events go, and a clock that tests can fix. */
export interface JsonReporterOptions {
  write(text: string): void;
  now?: () => number;
}

/** A machine-readable event stream (NDJSON) for tools that drive dockbuild: one JSON object per line. */
export function createJsonReporter(options: JsonReporterOptions): Reporter {
  const now = options.now ?? Date.now;
  const emit = (event: JsonEvent) => options.write(`${JSON.stringify(event)}\n`);
  const ids = (job: BuildJob) => ({ service: job.key, services: [...job.services] });
  return {
    jobStarted: (job, attempt) =>
      emit({
        event: "start",
        time: now(),
        ...ids(job),
        target: job.target ?? null,
        ...(attempt !== undefined ? { builder: attempt.builder, attempt: attempt.number } : {}),
      }),
    jobStep: (job, step) =>
      emit({
        event: "step",
        time: now(),
        service: job.key,
        name: step.name,
        done: step.done,
        cached: step.cached,
        ...(step.total === undefined ? {} : { total: step.total }),
      }),
    jobLog: (job, line) => emit({ event: "log", time: now(), service: job.key, line }),
    jobFinished: (result) => emit(finishEvent(result, now())),
    warning: (message) => emit({ event: "warning", time: now(), message }),
    runFinished: (results, info) => {
      const services = byService(results);
      const count = (status: JobStatus) => services.filter((s) => s.result.status === status).length;
      emit({
        event: "done",
        time: now(),
        durationMs: info.durationMs,
        interrupted: info.interrupted,
        counts: {
          built: count("built"),
          "up-to-date": count("up-to-date"),
          failed: count("failed"),
          skipped: count("skipped"),
          cancelled: count("cancelled"),
        },
      });
    },
  };
}

function finishEvent(result: JobResult, time: number): JsonEvent {
  return {
    event: "finish",
    time,
    service: result.job.key,
    services: [...result.job.services],
    status: result.status,
    durationMs: result.durationMs,
    imageId: result.imageId ?? null,
    steps: result.steps,
    cachedSteps: result.cachedSteps,
    ...(result.errorLines ? { errorLines: [...result.errorLines] } : {}),
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.command ? { command: result.command } : {}),
    ...(overBuilders(result) ? { builder: result.builder ?? null } : {}),
    ...(result.registryImage !== undefined ? { registryImage: result.registryImage } : {}),
    ...(result.handOffs !== undefined ? { handOffs: { ...result.handOffs } } : {}),
  };
}
