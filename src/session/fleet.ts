import type { Engine, ImageDetails, RegistryLookup } from "../backends/index.js";
import type { Config } from "../config/schema.js";
import { DockbuildError } from "../errors.js";
import { fittingBuilders, whyNotFit } from "../place/index.js";
import { repositoryName, type BuildJob } from "../plan/index.js";
import type { RunJobsOptions } from "../run/scheduler.js";
import type { JobOutcome, JobResult } from "../run/types.js";
import type { Reporter } from "../report/reporter.js";
import { runAttempt, type LocalEngine } from "./attempt.js";
import type { Builders, OpenBuilder } from "./builders.js";
import { runWithinLimits, type JobLimits } from "./job-limits.js";
import { reportJobOutput } from "./job-output.js";

/** A run over builders: who answered, the local engine, what each image store and the registry held. */
export interface Fleet {
  builders: Builders;
  local?: LocalEngine;
  /** By engine id: what that image store held of the jobs' tags before the run. */
  stores: ReadonlyMap<string, ReadonlyMap<string, ImageDetails>>;
  /** By job key: what the registry held of its content-addressed tag (nothing asked with `--force`). */
  registry: ReadonlyMap<string, RegistryLookup>;
  /** `registry:` of the config. */
  registryPrefix?: string;
  /** Jobs whose images the local engine should hold after the run (the services asked for). */
  wanted: ReadonlySet<string>;
  /** Jobs whose result the registry holds: they run on no builder. */
  existing: ReadonlySet<string>;
  /** A tag of this run, for results without an input hash that must still be handed over. */
  runId: string;
}

/** Whether a run goes through builders and a registry rather than straight to the one engine. */
export function usesFleet(config: Pick<Config, "builders" | "registry">): boolean {
  return config.builders !== undefined || config.registry !== undefined;
}

/**
 * Before anything is built: every job must fit some builder that answered. Otherwise the run cannot be done
 * (exit 3), and the message names, per job, every builder and why it was dropped.
 */
export function checkEveryJobFits(jobs: readonly BuildJob[], builders: Builders): void {
  const live = builders.open.map((b) => b.slots);
  const homeless = jobs.filter((job) => fittingBuilders(job, live).length === 0);
  if (homeless.length === 0) return;
  const lines = homeless.map((job) => `${job.key}: ${droppedBuilders(job, builders).join("; ")}`);
  throw new DockbuildError("NO_ENGINE", `no fitting builder for ${homeless.map((j) => j.key).join(", ")}`, {
    hint: lines.join("\n"),
  });
}

/** Why each builder cannot take this job: `b2: down (…)`, `b3: lacks the label large`. */
export function droppedBuilders(job: BuildJob, builders: Builders): string[] {
  const reasons = builders.all.map((b) => {
    const gone = builders.down.get(b.name);
    return gone !== undefined ? `${b.name}: down (${gone})` : `${b.name}: ${whyNotFit(job, b) ?? "fits"}`;
  });
  return [...reasons, ...(builders.excluded ?? []).map((name) => `${name}: left out by --builder`)];
}

/** The scheduler's options for a run over builders: slots per builder, and each attempt run by `runAttempt`. */
export function fleetRunOptions(
  fleet: Fleet,
  options: {
    concurrency?: number;
    force: boolean;
    environment: Readonly<Record<string, string>>;
    reporter: Required<Reporter>;
    /** Where the pulls into the local engine go that the run waits for at its end. */
    pulls: Map<string, Promise<Partial<JobOutcome> | undefined>>;
    /** Each attempt's time limit and silence warning. */
    limits: JobLimits;
  },
): Pick<RunJobsOptions, "concurrency" | "builders" | "execute" | "onStarted"> {
  const { builders } = fleet;
  const { reporter } = options;
  const byName = new Map<string, OpenBuilder>(builders.open.map((b) => [b.slots.name, b]));
  const slots = builders.open.reduce((n, b) => n + b.slots.slots, 0);
  return {
    concurrency: options.concurrency ?? slots,
    builders: {
      builders: builders.open.map((b) => b.slots),
      down: builders.down,
      existing: fleet.existing,
      onBuilderDown: (builder, reason) =>
        reporter.warning(
          `builder ${builder} stopped answering (${reason}): left out for the rest of the run; its builds run again elsewhere`,
        ),
    },
    onStarted: (job, attempt) => reporter.jobStarted(job, attempt),
    execute: (job, signal, attempt) => {
      if (attempt === undefined)
        return Promise.resolve({ status: "failed", errorLines: ["no builder was chosen"] });
      const builder = attempt.builder === undefined ? undefined : byName.get(attempt.builder);
      const describeStall = async () => {
        if (builder === undefined) return undefined;
        const down = await builder.engine.probe();
        return down === undefined
          ? `builder ${builder.slots.name} answers (a step that prints nothing while it works?)`
          : `builder ${builder.slots.name} does not answer: ${down}`;
      };
      return runWithinLimits(
        job,
        signal,
        options.limits,
        { warning: (w) => reporter.warning(w), describeStall },
        (limitSignal, onOutput) =>
          runAttempt(job, attempt, {
            signal: limitSignal,
            ...reportJobOutput(job, reporter, onOutput),
            builders: byName,
            ...(fleet.local !== undefined ? { local: fleet.local } : {}),
            stores: fleet.stores,
            registry: fleet.registry,
            wanted: fleet.wanted,
            pushTarget: (planned) => pushTarget(planned, fleet),
            deferPull: (key, pull) => options.pulls.set(key, pull),
            force: options.force,
            environment: options.environment,
          }),
      );
    },
  };
}

/**
 * The results once the pulls into the local engine are done: a job whose image could not be brought there
 * failed after all (its build stands in the registry). New results; the others unchanged.
 */
export async function withLocalPulls(
  results: readonly JobResult[],
  pulls: ReadonlyMap<string, Promise<Partial<JobOutcome> | undefined>>,
): Promise<JobResult[]> {
  const failed = new Map<string, Partial<JobOutcome>>();
  for (const [key, pull] of pulls) {
    const failure = await pull;
    if (failure !== undefined) failed.set(key, failure);
  }
  return results.map((result) => {
    const failure = failed.get(result.job.key);
    if (failure === undefined) return result;
    return {
      ...result,
      status: failure.status ?? "failed",
      ...(failure.errorLines !== undefined ? { errorLines: failure.errorLines } : {}),
      ...(failure.command !== undefined ? { command: failure.command } : {}),
    };
  });
}

/** Where a job's result goes in the registry: its content-addressed tag, else (no input hash) a tag of this run. */
export function pushTarget(
  job: BuildJob,
  fleet: Pick<Fleet, "registryPrefix" | "runId">,
): string | undefined {
  if (job.registryImage !== undefined) return job.registryImage;
  if (fleet.registryPrefix === undefined || !job.load || job.id.stage !== undefined) return undefined;
  return `${fleet.registryPrefix.replace(/\/+$/, "")}/${repositoryName(job.id.service)}:run-${fleet.runId}`;
}

/** Why a run over builders failed to place jobs: exit 3, naming every builder and why it was dropped. */
export function placementFailure(results: readonly JobResult[]): DockbuildError | undefined {
  const homeless = results.filter((r) => r.noBuilder !== undefined);
  if (homeless.length === 0) return undefined;
  return new DockbuildError(
    "NO_ENGINE",
    `no fitting builder was left for ${homeless.map((r) => r.job.key).join(", ")}`,
    { hint: homeless.map((r) => `${r.job.key}: ${(r.noBuilder ?? []).join("; ")}`).join("\n") },
  );
}

/** The engine that hashes and asks the registry: the local one, else the first builder that answered. */
export function questionEngine(fleet: Pick<Fleet, "builders" | "local">): Engine | undefined {
  return fleet.local?.engine ?? fleet.builders.open[0]?.engine;
}
