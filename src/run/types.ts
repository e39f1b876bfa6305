import type { BuildJob } from "../plan/types.js";

export type JobStatus =
  /** waiting for its dependencies or a free slot */
  | "pending"
  /** the engine is building it */
  | "running"
  /** built successfully */
  | "built"
  /** not built: the engine already holds an image made from the same inputs */
  | "up-to-date"
  /** the engine reported an error */
  | "failed"
  /** not started because a dependency failed */
  | "skipped"
  /** stopped or never started because the run was interrupted or failed fast */
  | "cancelled";

/** What running one job produced; the scheduler adds timing and bookkeeping. */
export interface JobOutcome {
  status: Extract<JobStatus, "built" | "up-to-date" | "failed" | "cancelled">;
  imageId?: string;
  steps?: number;
  cachedSteps?: number;
  errorLines?: readonly string[];
  /** The command line that ran, for the failure report. */
  command?: string;
}

/** How one job of a run ended. Results are made whole, never edited: later steps make new ones. */
export interface JobResult {
  readonly job: BuildJob;
  readonly status: JobStatus;
  readonly durationMs: number;
  readonly imageId?: string;
  readonly sizeBytes?: number;
  /** The stage the final image was cut from, and its size (with `--sizes`). */
  readonly builderStage?: { readonly name: string; readonly sizeBytes: number };
  readonly steps: number;
  readonly cachedSteps: number;
  /** For a failure: the last lines of the engine's error output. */
  readonly errorLines?: readonly string[];
  /** For a skip: the dependency that failed. */
  readonly reason?: string;
  /** The command line that ran, for the failure report. */
  readonly command?: string;
}
