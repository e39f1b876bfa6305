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
  /** The builder failed (it stopped answering), not the build: why. The job runs again elsewhere, once. */
  builderDown?: string;
  /** Its result was found elsewhere (the registry, the local engine): the builder holds nothing of it. */
  elsewhere?: boolean;
  /** With a registry: where the result can be read back, `<registry image>@sha256:…`. */
  registryImage?: string;
  /** Upstream images this attempt read from the registry: the reference in the Dockerfile → image by digest. */
  handOffs?: Readonly<Record<string, string>>;
  /** Ids of the engines whose image store holds the result under its tags. */
  stores?: readonly string[];
}

/** One attempt at a job on one of several builders: what `execute` is told. */
export interface Attempt {
  /** The builder it runs on; none for a job whose result exists already (it takes no builder's slot). */
  builder?: string;
  /** 1, or 2 when it runs again after its first builder failed. */
  number: number;
  /** The results of the jobs it builds on, all finished. */
  upstream: ReadonlyMap<string, JobResult>;
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
  /** On several builders: the builder it ran on (none when its result was found in the registry). */
  readonly builder?: string;
  /** The builder it first ran on, which failed while it ran (it then ran again on `builder`). */
  readonly retriedFrom?: string;
  /** When no builder could take it: why each builder was dropped (`b2: down (…)`). */
  readonly noBuilder?: readonly string[];
  /** With a registry: where the result can be read back, `<registry image>@sha256:…`. */
  readonly registryImage?: string;
  /** Upstream images it read from the registry: the reference in the Dockerfile → image by digest. */
  readonly handOffs?: Readonly<Record<string, string>>;
  /** Ids of the engines whose image store holds the result under its tags. */
  readonly stores?: readonly string[];
}
