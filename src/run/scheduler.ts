import PQueue from "p-queue";
import type { BuilderSlots, PlacementPolicy } from "../place/index.js";
import type { BuildJob } from "../plan/types.js";
import { runOnBuilders } from "./builder-dispatch.js";
import { createRunState, failedBy } from "./run-state.js";
import type { Attempt, JobOutcome, JobResult } from "./types.js";

/** Several builders: each job runs on one of them, never more at once on one than its slots. */
export interface BuilderPool {
  builders: readonly BuilderSlots[];
  /** Builders already out before the run, and why; named when a job finds no builder. */
  down?: ReadonlyMap<string, string>;
  /** How a ready job's builder is chosen (default: `affinityPlacement`). */
  policy?: PlacementPolicy;
  /** Jobs whose result exists already (found in the registry): they run on no builder and take no slot. */
  existing?: ReadonlySet<string>;
  /** Told when a builder fails while jobs run on it; it is left out for the rest of the run. */
  onBuilderDown?(builder: string, reason: string): void;
}

export interface RunJobsOptions {
  concurrency: number;
  /** Go on after a failure with everything that does not depend on it. */
  keepGoing: boolean;
  /** Aborted on Ctrl-C / SIGTERM: running jobs are stopped, pending ones cancelled. */
  signal?: AbortSignal;
  /**
   * Run one job; `signal` is aborted when the run stops (a failure without keep-going, an interrupt) or,
   * on several builders, when its builder fails. `attempt` says where, on several builders.
   */
  execute(job: BuildJob, signal: AbortSignal, attempt?: Attempt): Promise<JobOutcome>;
  onStarted?(job: BuildJob, attempt?: Attempt): void;
  onFinished?(result: JobResult): void;
  now?: () => number;
  /** Spread the jobs over these builders (`concurrency` then caps the total); else one engine. */
  builders?: BuilderPool;
}

/**
 * Run jobs as soon as their own dependencies have finished (no level barrier), longest remaining chain first.
 * Fail-fast by default: after a failure nothing new starts and running jobs are stopped. Knows jobs and
 * outcomes only; what running a job means is `execute`'s business.
 */
export async function runJobs(jobs: readonly BuildJob[], options: RunJobsOptions): Promise<JobResult[]> {
  if (options.builders !== undefined) return runOnBuilders(jobs, { ...options, builders: options.builders });
  const now = options.now ?? Date.now;
  const state = createRunState(jobs, options);
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  state.stopSignal.addEventListener("abort", () => queue.clear(), { once: true });

  // A free slot takes a job at once, so jobs that become ready together are added longest chain first;
  // the queue's priority orders those that wait.
  const enqueue = (ready: BuildJob[]) => {
    for (const job of ready)
      void queue.add(() => runOne(job), { priority: state.priority.get(job.key) ?? 0 });
  };

  const runOne = async (job: BuildJob) => {
    if (state.isStopping()) return;
    const started = now();
    options.onStarted?.(job);
    let outcome: JobOutcome;
    try {
      outcome = await options.execute(job, state.stopSignal);
    } catch (error) {
      outcome = failedBy(error);
    }
    enqueue(state.complete(job, outcome, now() - started));
  };

  enqueue(state.initial());
  await queue.onIdle();
  state.close();
  return state.final();
}
