import type { BuildJob } from "../plan/types.js";

export type JobStatus =
  /** waiting for its dependencies or a free slot */
  | "pending"
  /** the engine is building it */
  | "running"
  /** built successfully */
  | "built"
  /** skipped because its inputs match the existing image */
  | "up-to-date"
  /** the engine reported an error */
  | "failed"
  /** not started because a dependency failed */
  | "skipped"
  /** stopped or never started because the run was interrupted or failed fast */
  | "cancelled";

/** The current build step of a running job, as the engine reports it. */
export interface StepProgress {
  /** e.g. "[3/7] RUN make" */
  name: string;
  /** steps finished so far, and how many of those came from cache */
  done: number;
  cached: number;
  total?: number;
}

export interface JobResult {
  job: BuildJob;
  status: JobStatus;
  durationMs: number;
  imageId?: string;
  sizeBytes?: number;
  /** The stage the final image was cut from, and its size (with `--sizes`). */
  builderStage?: { name: string; sizeBytes: number };
  steps: number;
  cachedSteps: number;
  /** For a failure: the last lines of the engine's error output. */
  errorLines?: string[];
  /** For a skip: the dependency that failed. */
  reason?: string;
  /** The command line that ran, for the failure report. */
  command?: string;
}

/** Hooks a reporter may implement; the scheduler calls each one it has, through a composite. */
export interface Reporter {
  runStarted?(jobs: BuildJob[]): void;
  jobStarted?(job: BuildJob): void;
  jobLog?(job: BuildJob, line: string): void;
  jobStep?(job: BuildJob, step: StepProgress): void;
  jobFinished?(result: JobResult): void;
  warning?(message: string): void;
  runFinished?(
    results: JobResult[],
    info: { interrupted: boolean; durationMs: number },
  ): void | Promise<void>;
}

/** Fan one set of hooks out to many reporters. */
export function compositeReporter(reporters: Reporter[]): Required<Reporter> {
  return {
    runStarted: (jobs) => reporters.forEach((r) => r.runStarted?.(jobs)),
    jobStarted: (job) => reporters.forEach((r) => r.jobStarted?.(job)),
    jobLog: (job, line) => reporters.forEach((r) => r.jobLog?.(job, line)),
    jobStep: (job, step) => reporters.forEach((r) => r.jobStep?.(job, step)),
    jobFinished: (result) => reporters.forEach((r) => r.jobFinished?.(result)),
    warning: (message) => reporters.forEach((r) => r.warning?.(message)),
    runFinished: async (results, info) => {
      for (const r of reporters) await r.runFinished?.(results, info);
    },
  };
}
