import type { Engine, ImageDetails } from "../backends/index.js";
import type { BuildJob } from "../plan/index.js";
import type { Reporter } from "../report/reporter.js";
import { runJobs } from "../run/scheduler.js";
import type { JobResult } from "../run/types.js";
import { watchEngine, withEngineLoss, type EngineLoss } from "./engine-watch.js";
import { runWithinLimits, type JobLimits } from "./job-limits.js";
import { runJob } from "./run-job.js";
import { reportJobOutput } from "./job-output.js";

/** What running a plan's jobs needs besides the jobs. */
export interface RunPlanContext {
  engine: Engine;
  /** What the engine said of every tag before the run. */
  images: ReadonlyMap<string, ImageDetails>;
  reporter: Required<Reporter>;
  /** The interrupt (Ctrl-C, SIGTERM, a closed output). */
  signal: AbortSignal;
  limits: JobLimits;
  concurrency: number;
  keepGoing: boolean;
  force: boolean;
  environment: Readonly<Record<string, string>>;
}

/**
 * Run the jobs on the engine: each within its time limit, a silent one reported, and a failure checked
 * against the engine itself, whose loss stops the run and is named in every unfinished job's result.
 */
export async function runPlannedJobs(
  jobs: readonly BuildJob[],
  context: RunPlanContext,
): Promise<{ results: JobResult[]; engineLost?: EngineLoss }> {
  const { engine, reporter, signal } = context;
  const engineWatch = watchEngine(engine);
  const results = await runJobs(jobs, {
    concurrency: context.concurrency,
    keepGoing: context.keepGoing,
    signal: AbortSignal.any([signal, engineWatch.signal]),
    onStarted: (job) => reporter.jobStarted(job),
    onFinished: (result) => reporter.jobFinished(result),
    execute: async (job, jobSignal) => {
      const outcome = await runWithinLimits(
        job,
        jobSignal,
        context.limits,
        { warning: (w) => reporter.warning(w), describeStall: engineWatch.describeStall },
        (limitSignal, onOutput) =>
          runJob(job, engine, {
            signal: limitSignal,
            ...reportJobOutput(job, reporter, onOutput),
            images: context.images,
            force: context.force,
            environment: context.environment,
          }),
      );
      // The job's result stands as it is (a failure stays one); an engine found gone then stops the others.
      if (!signal.aborted) engineWatch.afterJob(outcome);
      return outcome;
    },
  });
  await engineWatch.settled();
  const engineLost = engineWatch.lost();
  return engineLost === undefined
    ? { results }
    : { results: withEngineLoss(results, engineLost), engineLost };
}
