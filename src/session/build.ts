import path from "node:path";
import { openEngine, type Engine, type ImageDetails } from "../backends/index.js";
import type { BackendKind } from "../backends/types.js";
import { restoreBuildCacheMounts } from "../cache/index.js";
import type { Config } from "../config/schema.js";
import { DockbuildError } from "../errors.js";
import { normalizeImageRef } from "../util/image-ref.js";
import { readContextDigests } from "../inputs/index.js";
import {
  planInputRequests,
  planJobs,
  resolveCacheSettings,
  type BuildJob,
  type BuildPlan,
  type LayerCacheOverrides,
} from "../plan/index.js";
import { compositeReporter, type Reporter } from "../report/reporter.js";
import { runJobs } from "../run/scheduler.js";
import type { JobOutcome, JobResult } from "../run/types.js";
import { localBuilder, openBuilders, selectBuilderConfigs, type Builders } from "./builders.js";
import { fleetRunOptions, usesFleet, withLocalPulls, type Fleet } from "./fleet.js";
import { loadProject, type LoadedProject, type ProjectOptions } from "./load-project.js";
import { prepareFleet } from "./prepare-fleet.js";
import { checkMetadataFile, writeRunMetadata } from "./metadata.js";
import { selectForRequest, type SelectRequest } from "./select.js";
import { withBuilderStageSizes, withImageSizes } from "./sizes.js";
import { defaultConcurrency } from "./concurrency.js";
import { checkProjectImagesPresent } from "./up-to-date.js";
import type { EngineLoss } from "./engine-watch.js";
import { resolveJobLimits } from "./job-limits.js";
import { runPlannedJobs } from "./run-plan.js";

/** Everything a build run can be asked; the command line's flags map onto these one to one. */
export interface BuildOptions extends ProjectOptions, SelectRequest {
  /** A project already loaded with `loadProject` (else it is loaded from the project options). */
  project?: LoadedProject;
  /** Build this stage (e.g. `test`) of each requested service that has one, instead of its target. */
  stage?: string;
  /** With `stage`: keep each stage's result as an image. */
  load?: boolean;
  /** Builds at once (default: the config's `concurrency`, else `defaultConcurrency()`). */
  concurrency?: number;
  /** After a failure, build everything that does not depend on it. */
  keepGoing?: boolean;
  /** Build without the engine's layer cache (cache mounts start empty). */
  noCache?: boolean;
  /** Always look for newer versions of external base images. */
  pull?: boolean;
  /** Build even the services whose image already has their current input hash. */
  force?: boolean;
  /** The Docker client to run (default: the config's `docker`, `DOCKBUILD_DOCKER`, `docker`). */
  dockerBinary?: string;
  backend?: BackendKind | "auto";
  /** Layer cache settings over the config's `cache` key, and how messages name them. */
  cache?: LayerCacheOverrides;
  cacheNames?: Readonly<Record<keyof LayerCacheOverrides, string>>;
  /** Push every tag of each image after its build. */
  push?: boolean;
  /** Only these of the configured builders (`--builder`, repeatable); default every one. */
  builders?: string[];
  /** Seed cache mounts from this folder before the builds, save them there after. */
  cacheMounts?: string;
  /** Measure each service's builder stage to show next to its final image. */
  sizes?: boolean;
  /** Write a JSON result per service here (atomically). */
  metadataFile?: string;
  /** Where the run's events go (progress, warnings, results). */
  reporter?: Reporter;
  /** Aborting it stops every running build; the run then ends with an INTERRUPTED error. */
  signal?: AbortSignal;
  /** Stop and fail a build that runs longer than this (default: the config's `timeout`, else no limit). */
  timeoutMs?: number;
  /** Warn when a build prints nothing for this long (default: the config's `stallWarning`, else 60 s; 0: never). */
  stallWarningMs?: number;
}

/** How a build run ended. A failed build is a result here, not an exception (see `runFailure`). */
export interface BuildRun {
  results: JobResult[];
  interrupted: boolean;
  durationMs: number;
  plan: BuildPlan;
  /** A later step that could not be done (the metadata file not written, say); the builds' results stand. */
  problems: string[];
  /** Set when the engine stopped answering during the run (the run then stopped). */
  engineLost?: EngineLoss;
}

/** A dry run: the engine commands a build would run, in order, and what the plan warns about. */
export interface DryRun {
  /** `builder`: with several builders, the one the plan prefers (the run may move it). */
  jobs: { job: BuildJob; command: string; pushes: string[]; warnings: string[]; builder?: string }[];
  warnings: string[];
}

/** Load, select, plan, run on the engine, report: a whole `dockbuild [SERVICE...]`. */
export async function build(options: BuildOptions): Promise<BuildRun> {
  const signal = options.signal ?? new AbortController().signal;
  return whileInterruptible(signal, async () => {
    const prepared = await prepareRun(options, signal, false);
    const { loaded, plan, engine, images, fleet } = prepared;
    const reporter = compositeReporter(options.reporter ? [options.reporter] : []);
    for (const w of prepared.warnings) reporter.warning(w);
    if (process.env.DOCKBUILD_DEBUG) {
      for (const job of plan.jobs)
        if (job.unhashed) reporter.warning(`${job.key} is always built: ${job.unhashed}`);
    }
    if (options.cacheMounts !== undefined && fleet !== undefined && loaded.config.builders !== undefined)
      reporter.warning("--cache-mounts restores and saves the cache mounts of the local engine only");
    const cacheMounts =
      options.cacheMounts === undefined || engine === undefined
        ? undefined
        : await restoreBuildCacheMounts({
            dir: path.resolve(options.cwd ?? process.cwd(), options.cacheMounts),
            jobs: plan.jobs,
            engine: engine.info,
            helperImage: loaded.config.cache?.mountHelperImage,
            warn: (w) => reporter.warning(w),
          });

    const started = Date.now();
    reporter.runStarted(plan.jobs);
    let results: JobResult[];
    let engineLost: EngineLoss | undefined;
    // Over builders: pulls into the local engine that hold no builder's slot; the run waits for them at its end.
    const pulls = new Map<string, Promise<Partial<JobOutcome> | undefined>>();
    const limits = resolveJobLimits(options, loaded.config);
    try {
      if (fleet !== undefined) {
        results = await runJobs(plan.jobs, {
          keepGoing: options.keepGoing === true,
          signal,
          onFinished: (result: JobResult) => reporter.jobFinished(result),
          ...fleetRunOptions(fleet, {
            ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
            force: options.force === true,
            environment: loaded.project.environment,
            reporter,
            pulls,
            limits,
          }),
        });
        if (pulls.size > 0) results = await withLocalPulls(results, pulls);
      } else {
        ({ results, engineLost } = await runPlannedJobs(plan.jobs, {
          engine: engine as Engine,
          images,
          reporter,
          signal,
          limits,
          concurrency: options.concurrency ?? loaded.config.concurrency ?? defaultConcurrency(),
          keepGoing: options.keepGoing === true,
          force: options.force === true,
          environment: loaded.project.environment,
        }));
      }
    } catch (error) {
      // close the live view before the error is shown, or its spinner would keep the process alive
      await reporter.runFinished([], { interrupted: signal.aborted, durationMs: Date.now() - started });
      throw error;
    }
    const durationMs = Date.now() - started;
    const interrupted = signal.aborted;
    if (cacheMounts && !interrupted && !engineLost) await cacheMounts.save();
    let finished =
      engineLost || engine === undefined ? results : await withImageSizes(results, engine, images);
    if (options.sizes && !interrupted && !engineLost && engine !== undefined) {
      if (fleet === undefined || loaded.config.builders === undefined)
        finished = await withBuilderStageSizes(finished, engine, signal);
      else
        reporter.warning(
          "--sizes measures builder stages on one engine; with several builders it is left out",
        );
    }
    await reporter.runFinished(finished, { interrupted, durationMs });
    const problems: string[] = [];
    const metadataFile = metadataPath(options);
    if (metadataFile !== undefined) {
      const written = await writeRunMetadata(metadataFile, finished);
      if (written !== undefined) problems.push(written);
    }
    return {
      results: finished,
      interrupted,
      durationMs,
      plan,
      problems,
      ...(engineLost !== undefined ? { engineLost } : {}),
    };
  });
}

/** What `build` would run, without running it; works without an engine (the commands of the forced backend). */
export async function describeBuild(options: BuildOptions): Promise<DryRun> {
  const signal = options.signal ?? new AbortController().signal;
  return whileInterruptible(signal, async () => {
    const { plan, engine, warnings, fleet } = await prepareRun(options, signal, true);
    const engineOf = (job: BuildJob): Engine | undefined =>
      fleet === undefined
        ? engine
        : (fleet.builders.open.find((b) => b.slots.name === job.builder) ?? fleet.builders.open[0])?.engine;
    return {
      warnings,
      jobs: plan.jobs.map((job) => {
        const chosen = engineOf(job) as Engine;
        const { display, warnings: jobWarnings } = chosen.describe(job);
        const client = [chosen.info.dockerBinary, ...(chosen.info.clientArgs ?? [])].join(" ");
        const pushes = job.load ? job.push.map((tag) => `${client} push ${tag}`) : [];
        return {
          job,
          command: display,
          pushes,
          warnings: jobWarnings,
          ...(fleet !== undefined && job.builder !== undefined ? { builder: job.builder } : {}),
        };
      }),
    };
  });
}

interface PreparedRun {
  loaded: LoadedProject;
  plan: BuildPlan;
  /** The engine the Docker client reaches; over builders, unset when it does not answer. */
  engine?: Engine;
  /** What that engine said of every tag and external image the jobs use, by reference as asked. */
  images: ReadonlyMap<string, ImageDetails>;
  warnings: string[];
  /** Set for a run over builders and a registry. */
  fleet?: Fleet;
}

/**
 * Load and select while the engine is detected, read what input hashes need (the engine's images and the
 * contexts' files, at once), then plan with them: the jobs are final from here on.
 */
async function prepareRun(options: BuildOptions, signal: AbortSignal, dryRun: boolean): Promise<PreparedRun> {
  const warnings: string[] = [];
  const startEngine = (config: Config) =>
    openEngine({
      dockerBinary: options.dockerBinary ?? config.docker,
      backend: options.backend ?? config.backend,
      dryRun,
      env: options.env,
      onWarning: (w) => warnings.push(w),
    });
  let engineReady: Promise<Engine> | undefined;
  let buildersReady: Promise<Builders> | undefined;
  const startBuilders = (config: Config, configFile: string | undefined) => {
    const chosen = selectBuilderConfigs(config, options.builders ?? [], configFile);
    const excluded = (config.builders ?? []).filter((b) => !chosen.includes(b)).map((b) => b.name);
    return openBuilders(
      chosen,
      {
        dockerBinary: options.dockerBinary ?? config.docker,
        backend: options.backend ?? config.backend,
        dryRun,
        ...(options.env !== undefined ? { env: options.env } : {}),
      },
      excluded,
    );
  };
  const loaded =
    options.project ??
    (await loadProject(options, (config, configFile) => {
      engineReady = startEngine(config);
      engineReady.catch(() => {}); // awaited below, after the input errors that come first
      if (config.builders !== undefined) {
        buildersReady = Promise.resolve().then(() => startBuilders(config, configFile));
        buildersReady.catch(() => {});
      }
    }));
  throwIfInterrupted(signal);
  const selection = await selectForRequest(loaded, options);
  const metadataFile = metadataPath(options);
  if (metadataFile !== undefined && !dryRun) await checkMetadataFile(metadataFile);
  const settings = resolveCacheSettings({
    config: loaded.config.cache,
    ...(loaded.configFile !== undefined ? { configFile: loaded.configFile } : {}),
    overrides: options.cache ?? {},
    ...(options.cacheNames !== undefined ? { names: options.cacheNames } : {}),
    cwd: options.cwd ?? process.cwd(),
  });
  if (usesFleet(loaded.config)) {
    const config = loaded.config;
    const started = engineReady ?? startEngine(config);
    let local: Engine | undefined;
    let builders: Builders;
    if (config.builders !== undefined) {
      builders = await (buildersReady ?? startBuilders(config, loaded.configFile));
      local = await started.catch((error: unknown) => {
        warnings.push(
          `the local engine did not answer (${error instanceof Error ? error.message : String(error)}): final images stay on their builders and in the registry`,
        );
        return undefined;
      });
    } else {
      local = await started;
      builders = await localBuilder(local, options.concurrency ?? config.concurrency ?? defaultConcurrency());
    }
    throwIfInterrupted(signal);
    const { plan, fleet } = await prepareFleet({
      loaded,
      selection,
      planOptions: {
        noCache: options.noCache === true,
        pull: options.pull === true,
        push: options.push === true,
        ...(options.stage !== undefined ? { stage: options.stage, load: options.load === true } : {}),
      },
      ...(settings !== undefined ? { cache: settings } : {}),
      builders,
      ...(local !== undefined ? { local } : {}),
      force: options.force === true,
      dryRun,
      warn: (w) => warnings.push(w),
    });
    throwIfInterrupted(signal);
    warnings.push(...loaded.warnings, ...plan.warnings);
    if (plan.withoutStage.length > 0)
      warnings.push(
        `no stage "${options.stage}" in the Dockerfile of: ${plan.withoutStage.join(", ")} (not built)`,
      );
    const images =
      fleet.local?.id !== undefined ? (fleet.stores.get(fleet.local.id) ?? new Map()) : new Map();
    return { loaded, plan, ...(local !== undefined ? { engine: local } : {}), images, warnings, fleet };
  }
  const engine = await (engineReady ?? startEngine(loaded.config));
  throwIfInterrupted(signal);

  const planOptions = {
    noCache: options.noCache === true,
    pull: options.pull === true,
    push: options.push === true,
    ...(options.stage !== undefined ? { stage: options.stage, load: options.load === true } : {}),
    ...(settings !== undefined ? { cache: { settings, backend: engine.info.backend } } : {}),
  };
  let plan = planJobs(loaded.graph, selection, planOptions);
  let images: ReadonlyMap<string, ImageDetails> = new Map();
  if (!dryRun) {
    const requests = planInputRequests(plan.jobs);
    const [inspected, contexts] = await Promise.all([
      engine.inspect(requests.imageRefs),
      readContextDigests(requests.contexts, { project: loaded.project.workingDir }),
    ]);
    throwIfInterrupted(signal);
    images = inspected;
    const imageIds = new Map([...inspected].map(([ref, image]) => [normalizeImageRef(ref), image.id]));
    plan = planJobs(loaded.graph, selection, { ...planOptions, inputs: { contexts, imageIds } });
    checkProjectImagesPresent(plan.jobs, images, loaded.graph);
  }
  warnings.push(...loaded.warnings, ...plan.warnings);
  if (plan.withoutStage.length > 0) {
    warnings.push(
      `no stage "${options.stage}" in the Dockerfile of: ${plan.withoutStage.join(", ")} (not built)`,
    );
  }
  return { loaded, plan, engine, images, warnings };
}

/** `metadataFile` against the run's folder, as the check before the run and the write after it both see it. */
function metadataPath(options: BuildOptions): string | undefined {
  return options.metadataFile === undefined
    ? undefined
    : path.resolve(options.cwd ?? process.cwd(), options.metadataFile);
}

function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw new DockbuildError("INTERRUPTED", "interrupted before any build started");
}

/** A query stopped by the interrupt fails in its own way; what happened is the interrupt. */
async function whileInterruptible<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (signal.aborted && !(error instanceof DockbuildError && error.code === "INTERRUPTED")) {
      throw new DockbuildError("INTERRUPTED", "interrupted", { cause: error });
    }
    throw error;
  }
}
