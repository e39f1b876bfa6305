import PQueue from "p-queue";
import { dependents, remainingPathLength } from "../graph/sequence.js";
import type { BuildJob } from "../plan/types.js";
import type { JobOutcome, JobResult, JobStatus } from "./types.js";

export interface RunJobsOptions {
  concurrency: number;
  /** Go on after a failure with everything that does not depend on it. */
  keepGoing: boolean;
  /** Aborted on Ctrl-C / SIGTERM: running jobs are stopped, pending ones cancelled. */
  signal?: AbortSignal;
  /** Run one job; `signal` is aborted when the run stops (a failure without keep-going, an interrupt). */
  execute(job: BuildJob, signal: AbortSignal): Promise<JobOutcome>;
  onStarted?(job: BuildJob): void;
  onFinished?(result: JobResult): void;
  now?: () => number;
}

/**
 * Run jobs as soon as their own dependencies have finished (no level barrier), longest remaining chain first.
 * Fail-fast by default: after a failure nothing new starts and running jobs are stopped. Knows jobs and
 * outcomes only; what running a job means is `execute`'s business.
 */
export async function runJobs(jobs: readonly BuildJob[], options: RunJobsOptions): Promise<JobResult[]> {
  const now = options.now ?? Date.now;
  const byKey = new Map(jobs.map((j) => [j.key, j]));
  const deps = new Map(jobs.map((j) => [j.key, j.dependsOn.filter((d) => byKey.has(d))]));
  const reverse = dependents(deps);
  const priority = remainingPathLength(deps);
  const waiting = new Map(jobs.map((j) => [j.key, new Set(deps.get(j.key))]));
  const results = new Map<string, JobResult>();
  const stopAll = new AbortController();
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  let stopping = false;

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
    queue.clear();
    stopAll.abort();
  };
  const onInterrupt = () => stop();
  options.signal?.addEventListener("abort", onInterrupt, { once: true });

  // A free slot takes a job at once, so jobs that become ready together are added longest chain first;
  // the queue's priority orders those that wait.
  const enqueue = (ready: BuildJob[]) => {
    const rank = (j: BuildJob) => priority.get(j.key) ?? 0;
    for (const job of [...ready].sort((a, b) => rank(b) - rank(a))) {
      void queue.add(() => runOne(job), { priority: rank(job) });
    }
  };

  const runOne = async (job: BuildJob) => {
    if (stopping) return;
    const started = now();
    options.onStarted?.(job);
    let outcome: JobOutcome;
    try {
      outcome = await options.execute(job, stopAll.signal);
    } catch (error) {
      outcome = { status: "failed", errorLines: [error instanceof Error ? error.message : String(error)] };
    }
    if (stopping && outcome.status === "failed") outcome = { ...outcome, status: "cancelled" };
    finish({
      job,
      status: outcome.status,
      durationMs: now() - started,
      steps: outcome.steps ?? 0,
      cachedSteps: outcome.cachedSteps ?? 0,
      ...(outcome.imageId !== undefined ? { imageId: outcome.imageId } : {}),
      ...(outcome.errorLines !== undefined ? { errorLines: outcome.errorLines } : {}),
      ...(outcome.command !== undefined ? { command: outcome.command } : {}),
    });
    if (outcome.status === "failed") {
      if (options.keepGoing) skipDependents(job.key, `${job.key} failed`);
      else stop();
      return;
    }
    if (outcome.status === "cancelled") return;
    const ready: BuildJob[] = [];
    for (const next of reverse.get(job.key) ?? []) {
      const left = waiting.get(next);
      if (!left) continue;
      left.delete(job.key);
      const nextJob = byKey.get(next);
      if (left.size === 0 && nextJob && !results.has(next) && !stopping) ready.push(nextJob);
    }
    enqueue(ready);
  };

  if (options.signal?.aborted) stop();
  if (!stopping) enqueue(jobs.filter((j) => (waiting.get(j.key)?.size ?? 0) === 0));
  await queue.onIdle();
  options.signal?.removeEventListener("abort", onInterrupt);

  for (const job of jobs) {
    if (results.has(job.key)) continue;
    const dep = job.dependsOn.find((d) => results.get(d)?.status === "failed");
    finish(stopping || !dep ? blank(job, "cancelled") : blank(job, "skipped", `${dep} failed`));
  }
  return jobs.map((j) => results.get(j.key) as JobResult);
}
