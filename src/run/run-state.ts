import { dependents, remainingPathLength } from "../graph/sequence.js";
import type { BuildJob } from "../plan/types.js";
import type { JobOutcome, JobResult, JobStatus } from "./types.js";

/** The bookkeeping every way of running jobs shares: who waits for whom, results, fail-fast and keep-going. */
export interface RunState {
  readonly byKey: ReadonlyMap<string, BuildJob>;
  /** By job key: the longest chain of jobs from it to the end (start long chains first). */
  readonly priority: ReadonlyMap<string, number>;
  readonly results: ReadonlyMap<string, JobResult>;
  /** Aborted when the run stops: running jobs end, nothing new starts. */
  readonly stopSignal: AbortSignal;
  isStopping(): boolean;
  stop(): void;
  /** The jobs that wait for nothing, longest chain first. */
  initial(): BuildJob[];
  /** Record how a job ended; returns the jobs that became ready by it, longest chain first. */
  complete(job: BuildJob, outcome: JobOutcome, durationMs: number, extra?: Partial<JobResult>): BuildJob[];
  /** Every job's result in the jobs' order; a job that never ended is cancelled, or skipped after a failure. */
  final(): JobResult[];
  /** Forget the interrupt signal's listener. */
  close(): void;
}

export interface RunStateOptions {
  keepGoing: boolean;
  signal?: AbortSignal;
  onFinished?(result: JobResult): void;
}

/** Start the bookkeeping of a run of these jobs; an interrupt through `signal` stops it. */
export function createRunState(jobs: readonly BuildJob[], options: RunStateOptions): RunState {
  const byKey = new Map(jobs.map((j) => [j.key, j]));
  const deps = new Map(jobs.map((j) => [j.key, j.dependsOn.filter((d) => byKey.has(d))]));
  const reverse = dependents(deps);
  const priority = remainingPathLength(deps);
  const waiting = new Map(jobs.map((j) => [j.key, new Set(deps.get(j.key))]));
  const results = new Map<string, JobResult>();
  const stopAll = new AbortController();
  let stopping = false;
  const rank = (j: BuildJob) => priority.get(j.key) ?? 0;
  const byRank = (list: BuildJob[]) => [...list].sort((a, b) => rank(b) - rank(a));

  const finish = (result: JobResult) => {
    results.set(result.job.key, result);
    options.onFinished?.(result);
  };
  const blank = (job: BuildJob, status: JobStatus, reason?: string): JobResult => ({
    job,
    status,
    durationMs: 0,
    steps: 0,
    cachedSteps: 0,
    ...(reason !== undefined ? { reason } : {}),
  });
  const skipDependents = (key: string, reason: string) => {
    for (const next of reverse.get(key) ?? []) {
      if (results.has(next)) continue;
      const job = byKey.get(next);
      if (!job) continue;
      finish(blank(job, "skipped", reason));
      skipDependents(next, reason);
    }
  };
  const stop = () => {
    if (stopping) return;
    stopping = true;
    stopAll.abort();
  };
  const onInterrupt = () => stop();
  options.signal?.addEventListener("abort", onInterrupt, { once: true });
  if (options.signal?.aborted) stop();

  return {
    byKey,
    priority,
    results,
    stopSignal: stopAll.signal,
    isStopping: () => stopping,
    stop,
    initial: () => (stopping ? [] : byRank(jobs.filter((j) => (waiting.get(j.key)?.size ?? 0) === 0))),
    complete(job, outcome, durationMs, extra = {}) {
      const status = stopping && outcome.status === "failed" ? "cancelled" : outcome.status;
      finish({
        job,
        status,
        durationMs,
        steps: outcome.steps ?? 0,
        cachedSteps: outcome.cachedSteps ?? 0,
        ...(outcome.imageId !== undefined ? { imageId: outcome.imageId } : {}),
        ...(outcome.errorLines !== undefined ? { errorLines: outcome.errorLines } : {}),
        ...(outcome.command !== undefined ? { command: outcome.command } : {}),
        ...(outcome.registryImage !== undefined ? { registryImage: outcome.registryImage } : {}),
        ...(outcome.handOffs !== undefined ? { handOffs: outcome.handOffs } : {}),
        ...(outcome.stores !== undefined ? { stores: outcome.stores } : {}),
        ...extra,
      });
      if (status === "failed") {
        if (options.keepGoing) skipDependents(job.key, `${job.key} failed`);
        else stop();
        return [];
      }
      if (status === "cancelled") return [];
      const ready: BuildJob[] = [];
      for (const next of reverse.get(job.key) ?? []) {
        const left = waiting.get(next);
        if (!left) continue;
        left.delete(job.key);
        const nextJob = byKey.get(next);
        if (left.size === 0 && nextJob && !results.has(next) && !stopping) ready.push(nextJob);
      }
      return byRank(ready);
    },
    final() {
      for (const job of jobs) {
        if (results.has(job.key)) continue;
        const dep = job.dependsOn.find((d) => results.get(d)?.status === "failed");
        finish(stopping || !dep ? blank(job, "cancelled") : blank(job, "skipped", `${dep} failed`));
      }
      return jobs.map((j) => results.get(j.key) as JobResult);
    },
    close: () => options.signal?.removeEventListener("abort", onInterrupt),
  };
}

/** An `execute` that threw: a failed job, not a crash. */
export function failedBy(error: unknown): JobOutcome {
  return { status: "failed", errorLines: [error instanceof Error ? error.message : String(error)] };
}
