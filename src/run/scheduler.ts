import PQueue from "p-queue";
import { dependents, remainingPathLength } from "../graph/sequence.js";
import type { BuildJob } from "../plan/types.js";
import type { JobResult, JobStatus, Reporter, StepProgress } from "./types.js";

/** What running one job produced; the scheduler adds timing and bookkeeping. */
export interface JobOutcome {
  status: Extract<JobStatus, "built" | "up-to-date" | "failed" | "cancelled">;
  imageId?: string;
  steps?: number;
  cachedSteps?: number;
  errorLines?: string[];
  command?: string;
}

export interface ExecuteContext {
  signal: AbortSignal;
  onLine(line: string): void;
  onStep(step: StepProgress): void;
  onCommand(command: string): void;
}

export interface RunJobsOptions {
  concurrency: number;
  /** Go on after a failure with everything that does not depend on it. */
  keepGoing: boolean;
  /** Aborted on Ctrl-C / SIGTERM: running jobs are stopped, pending ones cancelled. */
  signal?: AbortSignal;
  reporter: Required<Reporter>;
  execute(job: BuildJob, context: ExecuteContext): Promise<JobOutcome>;
  now?: () => number;
}

/**
 * Run jobs as soon as their own dependencies have finished (no level barrier), longest remaining chain first.
 * Fail-fast by default: after a failure nothing new starts and running jobs are stopped.
 */
export async function runJobs(jobs: BuildJob[], options: RunJobsOptions): Promise<JobResult[]> {
  const now = options.now ?? Date.now;
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const deps = new Map(jobs.map((j) => [j.id, j.dependsOn.filter((d) => byId.has(d))]));
  const reverse = dependents(deps);
  const priority = remainingPathLength(deps);
  const waiting = new Map(jobs.map((j) => [j.id, new Set(deps.get(j.id))]));
  const results = new Map<string, JobResult>();
  const stopAll = new AbortController();
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  let stopping = false;

  const finish = (result: JobResult) => {
    results.set(result.job.id, result);
    options.reporter.jobFinished(result);
  };
  const blank = (job: BuildJob, status: JobStatus, reason?: string): JobResult => ({
    job,
    status,
    durationMs: 0,
    steps: 0,
    cachedSteps: 0,
    reason,
  });

  const skipDependents = (id: string, reason: string) => {
    for (const next of reverse.get(id) ?? []) {
      if (results.has(next)) continue;
      const job = byId.get(next);
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
    const rank = (j: BuildJob) => priority.get(j.id) ?? 0;
    for (const job of [...ready].sort((a, b) => rank(b) - rank(a))) {
      void queue.add(() => runOne(job), { priority: rank(job) });
    }
  };

  const runOne = async (job: BuildJob) => {
    if (stopping) return;
    const started = now();
    let command: string | undefined;
    options.reporter.jobStarted(job);
    let outcome: JobOutcome;
    try {
      outcome = await options.execute(job, {
        signal: stopAll.signal,
        onLine: (line) => options.reporter.jobLog(job, line),
        onStep: (step) => options.reporter.jobStep(job, step),
        onCommand: (c) => {
          command = c;
        },
      });
    } catch (error) {
      outcome = { status: "failed", errorLines: [error instanceof Error ? error.message : String(error)] };
    }
    if (stopping && outcome.status === "failed") outcome = { ...outcome, status: "cancelled" };
    finish({
      job,
      status: outcome.status,
      durationMs: now() - started,
      imageId: outcome.imageId,
      steps: outcome.steps ?? 0,
      cachedSteps: outcome.cachedSteps ?? 0,
      errorLines: outcome.errorLines,
      command: outcome.command ?? command,
    });
    if (outcome.status === "failed") {
      if (options.keepGoing) skipDependents(job.id, `${job.id} failed`);
      else stop();
      return;
    }
    if (outcome.status === "cancelled") return;
    const ready: BuildJob[] = [];
    for (const next of reverse.get(job.id) ?? []) {
      const left = waiting.get(next);
      if (!left) continue;
      left.delete(job.id);
      const nextJob = byId.get(next);
      if (left.size === 0 && nextJob && !results.has(next) && !stopping) ready.push(nextJob);
    }
    enqueue(ready);
  };

  options.reporter.runStarted(jobs);
  if (options.signal?.aborted) stop();
  if (!stopping) enqueue(jobs.filter((j) => (waiting.get(j.id)?.size ?? 0) === 0));
  await queue.onIdle();
  options.signal?.removeEventListener("abort", onInterrupt);

  for (const job of jobs) {
    if (results.has(job.id)) continue;
    const dep = job.dependsOn.find((d) => results.get(d)?.status === "failed");
    finish(stopping || !dep ? blank(job, "cancelled") : blank(job, "skipped", `${dep} failed`));
  }
  return jobs.map((j) => results.get(j.id) as JobResult);
}
