import { Listr, ListrLogger, ProcessOutput, type ListrTask } from "listr2";
import type { BuildJob } from "../plan/types.js";
import type { StepProgress } from "../backends/types.js";
import type { JobResult } from "../run/types.js";
import type { Reporter } from "./reporter.js";
import { describeResult, jobName } from "./format.js";

/** The streams to draw on; the renderer is chosen by tests, the live one otherwise. */
export interface TtyReporterOptions {
  /** Where the task list is drawn (default `process.stdout`). */
  stream?: NodeJS.WriteStream;
  /** Where warnings go (default `process.stderr`); listr2 holds them back while it draws and prints them after. */
  errorStream?: NodeJS.WriteStream;
  /** listr2's renderer: the live tree, or `simple` / `test` (a line per change, for tests and dumb terminals). */
  renderer?: "default" | "simple" | "test";
}

type TaskWrapper = Parameters<ListrTask<unknown>["task"]>[1];

/** What the reporter knows of one job, whether or not listr2 has picked its task up yet. */
interface JobEntry {
  job: BuildJob;
  title: string;
  /** Set after listr2's first `enabled` check, which it makes for every task before any starts. */
  checked: boolean;
  started: Deferred<void>;
  finished: Deferred<JobResult>;
  step?: StepProgress;
  task?: TaskWrapper;
}

/**
 * The live view on a terminal: one listr2 task per job, waiting until the scheduler starts the job, showing its
 * current step while it runs and how it ended. The scheduler never sees listr2; it only calls these hooks.
 */
export function createTtyReporter(options: TtyReporterOptions = {}): Reporter {
  const errorStream = options.errorStream ?? process.stderr;
  const entries = new Map<string, JobEntry>();
  let running: Promise<unknown> | undefined;

  const showStep = (entry: JobEntry) => {
    if (entry.task && entry.step) entry.task.output = stepText(entry.step);
  };

  const runTask = async (entry: JobEntry, task: TaskWrapper) => {
    entry.task = task;
    showStep(entry);
    const result = await entry.finished.promise;
    switch (result.status) {
      case "built":
        task.title = `${entry.title}: ${describeResult(result)}`;
        return;
      case "failed":
        // The error lines belong to the summary; the list keeps one short line.
        throw new Error(`${entry.title}: ${describeResult(result)}`);
      default:
        task.skip(`${entry.title}: ${describeResult(result)}`);
    }
  };

  const toTask = (entry: JobEntry): ListrTask<unknown> => ({
    title: entry.title,
    // listr2 checks `enabled` once for every task before starting any, then again just before starting each
    // one: holding the second check until the job starts keeps a job that waits for its dependencies
    // in listr2's waiting state instead of spinning.
    enabled: () => {
      if (!entry.checked) {
        entry.checked = true;
        return true;
      }
      return Promise.race([entry.started.promise, entry.finished.promise]).then(() => true);
    },
    task: (_ctx, task) => runTask(entry, task),
    rendererOptions: { outputBar: 1, persistentOutput: false },
  });

  return {
    runStarted: (jobs) => {
      for (const job of jobs) {
        entries.set(job.key, {
          job,
          title: titleOf(job),
          checked: false,
          started: deferred(),
          finished: deferred(),
        });
      }
      const logger = new ListrLogger({
        useIcons: options.renderer !== "test",
        toStderr: [],
        processOutput: new ProcessOutput(options.stream ?? process.stdout, errorStream),
      });
      const list = new Listr([...entries.values()].map(toTask), {
        concurrent: true,
        exitOnError: false,
        // Ctrl-C belongs to the scheduler (it stops the builds; main exits 130); listr2 would exit 127.
        registerSignalListeners: false,
        renderer: options.renderer ?? "default",
        rendererOptions: {
          logger,
          showSubtasks: true,
          collapseSubtasks: true,
          collapseSkips: true,
          collapseErrors: true,
          formatOutput: "truncate",
        },
        fallbackRenderer: "simple",
        fallbackRendererOptions: { logger },
      });
      // Kept settled so that a renderer error cannot become an unhandled rejection; runFinished rethrows it.
      running = list.run().then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
    },
    jobStarted: (job, attempt) => {
      const entry = entries.get(job.key);
      if (entry && attempt?.builder !== undefined) {
        // Over builders the title says where it runs (again, after its first builder failed).
        entry.title = `${titleOf(job)} on ${attempt.builder}`;
        if (entry.task) entry.task.title = entry.title;
      }
      entry?.started.resolve();
    },
    jobStep: (job, step) => {
      const entry = entries.get(job.key);
      if (!entry) return;
      entry.step = step;
      showStep(entry);
    },
    jobFinished: (result) => {
      entries.get(result.job.key)?.finished.resolve(result);
    },
    warning: (message) => {
      errorStream.write(`warning: ${message}\n`);
    },
    runFinished: async (results) => {
      // Every job ends through jobFinished; settle any the scheduler did not report so the list cannot hang.
      const byId = new Map(results.map((r) => [r.job.key, r]));
      for (const entry of entries.values()) {
        entry.finished.resolve(byId.get(entry.job.key) ?? cancelled(entry.job));
      }
      const outcome = await running;
      running = undefined;
      if (outcome && typeof outcome === "object" && "error" in outcome) throw outcome.error;
    },
  };
}

/** `[3/7] RUN make (2 cached)`: the engine's step name and how many finished steps came from cache. */
function stepText(step: StepProgress): string {
  return step.cached > 0 ? `${step.name} (${step.cached} cached)` : step.name;
}

function cancelled(job: BuildJob): JobResult {
  return { job, status: "cancelled", durationMs: 0, steps: 0, cachedSteps: 0 };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A job's line in the list: its services and target. */
function titleOf(job: BuildJob): string {
  return job.target ? `${jobName(job)} [${job.target}]` : jobName(job);
}
