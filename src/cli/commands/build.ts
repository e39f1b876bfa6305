import path from "node:path";
import { DockbuildError, InputError } from "../../errors.js";
import { normalizeImageRef } from "../../graph/image-ref.js";
import { selectForCommand } from "../selection.js";
import { planBuild } from "../../plan/plan.js";
import { planStage } from "../../plan/stage-plan.js";
import { runJobs, type JobOutcome } from "../../run/scheduler.js";
import { compositeReporter, type JobResult } from "../../run/types.js";
import { killAllChildren } from "../../exec/index.js";
import { loadWorkspace } from "../workspace.js";
import { defaultConcurrency, type BuildCliOptions } from "../build-options.js";
import type { GlobalOptions } from "../global-options.js";
import type { Config } from "../../config/schema.js";
import { finishRun } from "./finish-run.js";
import { prepareEngine, type Engine } from "./engine.js";
import { checkUpToDate } from "./up-to-date.js";
import { measureBuilderStages } from "./stage-sizes.js";
import type { BuildJob } from "../../plan/types.js";
import {
  applyCacheSettings,
  pushCommands,
  pushJobImages,
  resolveCacheSettings,
  restoreBuildCacheMounts,
} from "../../cache/index.js";

/** `dockbuild [all|SERVICE...]`: load, select, plan, build on the engine, report; the exit code comes from main. */
export async function runBuildCommand(
  names: string[],
  options: GlobalOptions & BuildCliOptions,
): Promise<void> {
  // Signals are ours from the first moment: a SIGTERM during loading or engine detection must also stop the
  // children already started and end with 130, not kill dockbuild and orphan them.
  const interrupt = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    interrupt.abort();
    // builds stop through the abort signal; this also stops the short-lived engine queries and git
    killAllChildren(interrupts > 1 ? 0 : 3000);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await buildWithSignals(names, options, interrupt.signal);
  } catch (error) {
    // a query killed by the interrupt fails in its own way; what happened is the interrupt
    if (interrupt.signal.aborted && !(error instanceof DockbuildError && error.code === "INTERRUPTED")) {
      throw new DockbuildError("INTERRUPTED", "interrupted", { cause: error });
    }
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw new DockbuildError("INTERRUPTED", "interrupted before any build started");
}

async function buildWithSignals(
  names: string[],
  options: GlobalOptions & BuildCliOptions,
  interruptSignal: AbortSignal,
): Promise<void> {
  // The engine is asked about while the Compose files and Dockerfiles are read: both take tens of ms.
  const startEngine = (config: Config) =>
    prepareEngine({
      dockerBinary: config.docker,
      backend: options.backend ?? config.backend,
      dryRun: options.dryRun === true,
    });
  let engineReady: Promise<Engine> | undefined;
  const workspace = await loadWorkspace(options, process.cwd(), (config) => {
    engineReady = startEngine(config);
    engineReady.catch(() => {}); // awaited below, after the input errors that come first
  });
  throwIfInterrupted(interruptSignal);
  const selection = await selectForCommand(workspace, names, options);
  const planOptions = { noCache: !options.cache, pull: options.pull };
  const { jobs: plannedJobs, withoutStage } =
    options.stage === undefined
      ? { ...planBuild(workspace.graph, selection, planOptions), withoutStage: [] as string[] }
      : planStage(workspace.graph, selection, options.stage, { ...planOptions, load: options.load });
  const concurrency =
    parseConcurrency(options.concurrency) ?? workspace.config.concurrency ?? defaultConcurrency();
  const warnings = [...workspace.warnings];
  const layerCache = resolveCacheSettings({
    config: workspace.config.cache,
    configFile: workspace.configFile,
    cli: options,
    cwd: process.cwd(),
  });

  const engine: Engine = await (engineReady ?? startEngine(workspace.config));
  throwIfInterrupted(interruptSignal);
  const cached = layerCache ? applyCacheSettings(plannedJobs, layerCache, engine.info.backend) : undefined;
  const jobs = cached?.jobs ?? plannedJobs;
  warnings.push(...(cached?.warnings ?? []));
  const pushTags = (job: BuildJob) => (options.push ? job.tags : (cached?.cachePushes.get(job.id) ?? []));

  if (options.dryRun) {
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    for (const job of jobs) {
      const { display, warnings: jobWarnings } = await engine.describe(job);
      for (const w of jobWarnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(
        `# ${job.services.join(", ")}${job.dependsOn.length ? ` (after ${job.dependsOn.join(", ")})` : ""}\n${display}\n`,
      );
      for (const p of pushCommands(job, engine.info, pushTags(job)))
        process.stdout.write(`${p.file} ${p.args.join(" ")}\n`);
    }
    return;
  }

  const { upToDate, notes, images, missingExternal } = await checkUpToDate(
    jobs,
    workspace.graph.nodes,
    engine,
    {
      force: options.force === true,
    },
  );
  throwIfInterrupted(interruptSignal);
  const unbuilt = missingExternal.flatMap((ref) => {
    const owner = workspace.graph.imageOwners.get(normalizeImageRef(ref));
    return owner === undefined ? [] : [{ ref, owner }];
  });
  if (unbuilt.length > 0) {
    // the engine would go looking for these in a registry; they are this project's own images, not built yet
    throw new InputError(
      unbuilt.map(({ ref, owner }) => ({
        location: workspace.graph.nodes.get(owner)?.service.location,
        message: `image "${ref}" of service "${owner}" is needed but the engine does not have it (left out with --no-deps?)`,
        hint: `build it first (dockbuild ${owner}), or drop --no-deps`,
      })),
    );
  }

  const { chooseReporter } = await import("../../report/select-reporter.js");
  const reporter = compositeReporter([chooseReporter(options.progress, process.env, process.stdout)]);
  for (const w of warnings) reporter.warning(w);
  if (withoutStage.length > 0) {
    reporter.warning(
      `no stage "${options.stage}" in the Dockerfile of: ${withoutStage.join(", ")} (not built)`,
    );
  }
  if (process.env.DOCKBUILD_DEBUG) for (const n of notes) reporter.warning(n);

  const cacheMounts =
    options.cacheMounts === undefined
      ? undefined
      : await restoreBuildCacheMounts({
          dir: path.resolve(options.cacheMounts),
          jobs,
          nodes: workspace.graph.nodes,
          engine: engine.info,
          helperImage: workspace.config.cache?.mountHelperImage,
          warn: (w) => reporter.warning(w),
        });

  const interrupt = { signal: interruptSignal };
  const started = Date.now();
  let results: JobResult[];
  try {
    results = await runJobs(jobs, {
      concurrency,
      keepGoing: options.keepGoing === true,
      signal: interrupt.signal,
      reporter,
      execute: async (job, context): Promise<JobOutcome> => {
        const outcome: JobOutcome = upToDate.has(job.id)
          ? { status: "up-to-date" }
          : await engine.build(job, context, (w) => reporter.warning(w), workspace.project.environment);
        return pushJobImages(job, outcome, engine.info, context, pushTags(job));
      },
    });
  } catch (error) {
    // close the live view before the error is printed, or its spinner would keep the process alive
    await reporter.runFinished([], {
      interrupted: interrupt.signal.aborted,
      durationMs: Date.now() - started,
    });
    throw error;
  }
  const durationMs = Date.now() - started;
  if (cacheMounts && !interrupt.signal.aborted) await cacheMounts.save();
  if (options.sizes && !interrupt.signal.aborted) {
    await measureBuilderStages(results, workspace.graph.nodes, engine, interrupt.signal);
  }
  await finishRun(results, {
    engine,
    reporter,
    interrupted: interrupt.signal.aborted,
    durationMs,
    metadataFile: options.metadataFile,
    quiet: options.progress === "quiet" || options.progress === "json",
    knownImages: images,
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
