import { DockbuildError } from "../../errors.js";
import { selectForCommand } from "../selection.js";
import { planBuild } from "../../plan/plan.js";
import { planStage } from "../../plan/stage-plan.js";
import { runJobs, type JobOutcome } from "../../run/scheduler.js";
import { compositeReporter, type JobResult } from "../../run/types.js";
import { killAllChildren } from "../../exec/index.js";
import { loadWorkspace } from "../workspace.js";
import { defaultConcurrency, type BuildCliOptions } from "../build-options.js";
import type { GlobalOptions } from "../global-options.js";
import { finishRun } from "./finish-run.js";
import { prepareEngine, type Engine } from "./engine.js";
import { checkUpToDate } from "./up-to-date.js";

/** `dockbuild [all|SERVICE...]`: load, select, plan, build on the engine, report; the exit code comes from main. */
export async function runBuildCommand(
  names: string[],
  options: GlobalOptions & BuildCliOptions,
): Promise<void> {
  const workspace = await loadWorkspace(options);
  const selection = await selectForCommand(workspace, names, options);
  const planOptions = { noCache: !options.cache, pull: options.pull };
  const { jobs, withoutStage } =
    options.stage === undefined
      ? { ...planBuild(workspace.graph, selection, planOptions), withoutStage: [] as string[] }
      : planStage(workspace.graph, selection, options.stage, { ...planOptions, load: options.load });
  const concurrency =
    parseConcurrency(options.concurrency) ?? workspace.config.concurrency ?? defaultConcurrency();
  const warnings = [...workspace.project.warnings, ...workspace.graph.warnings];

  const engine: Engine = await prepareEngine({
    dockerBinary: workspace.config.docker,
    backend: options.backend ?? workspace.config.backend,
    dryRun: options.dryRun === true,
  });

  if (options.dryRun) {
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    for (const job of jobs) {
      const { display, warnings: jobWarnings } = await engine.describe(job);
      for (const w of jobWarnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(
        `# ${job.services.join(", ")}${job.dependsOn.length ? ` (after ${job.dependsOn.join(", ")})` : ""}\n${display}\n`,
      );
    }
    return;
  }

  const { upToDate, notes } = await checkUpToDate(jobs, workspace.graph.nodes, engine, {
    force: options.force === true,
  });

  const { chooseReporter } = await import("../../report/select-reporter.js");
  const reporter = compositeReporter([chooseReporter(options.progress, process.env, process.stdout)]);
  for (const w of warnings) reporter.warning(w);
  if (withoutStage.length > 0) {
    reporter.warning(
      `no stage "${options.stage}" in the Dockerfile of: ${withoutStage.join(", ")} (not built)`,
    );
  }
  if (process.env.DOCKBUILD_DEBUG) for (const n of notes) reporter.warning(n);

  const interrupt = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    interrupt.abort();
    if (interrupts > 1) killAllChildren(0);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const started = Date.now();
  let results: JobResult[];
  try {
    results = await runJobs(jobs, {
      concurrency,
      keepGoing: options.keepGoing === true,
      signal: interrupt.signal,
      reporter,
      execute: async (job, context): Promise<JobOutcome> =>
        upToDate.has(job.id)
          ? { status: "up-to-date" }
          : engine.build(job, context, (w) => reporter.warning(w)),
    });
  } catch (error) {
    // close the live view before the error is printed, or its spinner would keep the process alive
    await reporter.runFinished([], {
      interrupted: interrupt.signal.aborted,
      durationMs: Date.now() - started,
    });
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  await finishRun(results, {
    engine,
    reporter,
    interrupted: interrupt.signal.aborted,
    durationMs: Date.now() - started,
    metadataFile: options.metadataFile,
    quiet: options.progress === "quiet" || options.progress === "json",
  });
}

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new DockbuildError(
      "BAD_INPUT",
      `--concurrency must be a whole number of at least 1, not "${value}"`,
    );
  }
  return n;
}
