import type { StepProgress } from "../backends/types.js";
import type { BuildJob } from "../plan/types.js";
import type { Attempt, JobResult } from "../run/types.js";

/** The events of a build run, each hook optional; a run calls each one a reporter has, through a composite. */
export interface Reporter {
  runStarted?(jobs: readonly BuildJob[]): void;
  /** `attempt` on several builders: where it runs, and whether it runs again after a builder failed. */
  jobStarted?(job: BuildJob, attempt?: Attempt): void;
  jobLog?(job: BuildJob, line: string): void;
  jobStep?(job: BuildJob, step: StepProgress): void;
  jobFinished?(result: JobResult): void;
  warning?(message: string): void;
  runFinished?(
    results: readonly JobResult[],
    info: { interrupted: boolean; durationMs: number },
  ): void | Promise<void>;
}

/** Fan one set of hooks out to many reporters. */
export function compositeReporter(reporters: readonly Reporter[]): Required<Reporter> {
  return {
    runStarted: (jobs) => reporters.forEach((r) => r.runStarted?.(jobs)),
    jobStarted: (job, attempt) => reporters.forEach((r) => r.jobStarted?.(job, attempt)),
    jobLog: (job, line) => reporters.forEach((r) => r.jobLog?.(job, line)),
    jobStep: (job, step) => reporters.forEach((r) => r.jobStep?.(job, step)),
    jobFinished: (result) => reporters.forEach((r) => r.jobFinished?.(result)),
    warning: (message) => reporters.forEach((r) => r.warning?.(message)),
    runFinished: async (results, info) => {
      for (const r of reporters) await r.runFinished?.(results, info);
    },
  };
}
