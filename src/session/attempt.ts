import type {
  Engine,
  ImageDetails,
  RegistryLookup,
  StepProgress,
  TransferOutcome,
} from "../backends/index.js";
import type { BuildJob } from "../plan/index.js";
import type { Attempt, JobOutcome } from "../run/types.js";
import type { OpenBuilder } from "./builders.js";
import { handOffRecord, planHandOff } from "./hand-off.js";
import { pushJobImages } from "./run-job.js";
import { isUpToDate } from "./up-to-date.js";

/** The engine the run's final images go to (the one the Docker client reaches), when it answered. */
export interface LocalEngine {
  engine: Engine;
  id?: string;
}

/** Everything an attempt needs besides the job and where it runs. */
export interface AttemptContext {
  signal: AbortSignal;
  onLine(line: string): void;
  onStep(step: StepProgress): void;
  onWarning(message: string): void;
  builders: ReadonlyMap<string, OpenBuilder>;
  local?: LocalEngine;
  /** What each image store held of the jobs' tags before the run, by engine id. */
  stores: ReadonlyMap<string, ReadonlyMap<string, ImageDetails>>;
  /** What the registry held of each job's registry image before the run, by job key (nothing with `force`). */
  registry: ReadonlyMap<string, RegistryLookup>;
  /** Jobs whose images are wanted in the local engine (the services asked for). */
  wanted: ReadonlySet<string>;
  /** Take a pull into the local engine that need not hold a builder's slot; the run waits for it at its end. */
  deferPull(key: string, pull: Promise<Partial<JobOutcome> | undefined>): void;
  /** Where a job's result goes in the registry: its content-addressed tag, or a tag of this run without a hash. */
  pushTarget(job: BuildJob): string | undefined;
  force: boolean;
  environment: Readonly<Record<string, string>>;
}

/**
 * One attempt at a job: without a builder, a result the registry holds (pulled where wanted). On a builder:
 * up to date when its store or the local engine's holds the image of its inputs (then pushed to the registry
 * that lacks it); else built there, reading upstream images from the registry where this builder lacks them;
 * then its registry tag pushed, its own tags pushed, and, where wanted, the image pulled into the local
 * engine. A builder that stops answering is reported as such.
 */
export async function runAttempt(
  job: BuildJob,
  attempt: Attempt,
  context: AttemptContext,
): Promise<JobOutcome> {
  const hit = context.registry.get(job.key);
  if (attempt.builder === undefined) {
    if (hit?.status !== "found" || job.registryImage === undefined)
      return { status: "failed", errorLines: [`${job.key} was to be found in the registry, and is not`] };
    return fromRegistry(job, digested(job.registryImage, hit.digest), context);
  }
  const builder = context.builders.get(attempt.builder);
  if (builder === undefined) return { status: "failed", errorLines: [`no builder named ${attempt.builder}`] };
  if (!context.force) {
    const held = heldBy(job, builder, context);
    if (held !== undefined) return found(job, builder, held, context);
  }
  return buildOn(job, attempt.builder, attempt, builder, context);
}

/** The jobs a run need not build: the registry holds their result (none with `--force`). */
export function existingJobs(
  jobs: readonly BuildJob[],
  registry: ReadonlyMap<string, RegistryLookup>,
): Set<string> {
  return new Set(
    jobs
      .filter((job) => job.registryImage !== undefined && registry.get(job.key)?.status === "found")
      .map((job) => job.key),
  );
}

/** The store (the builder's own first, then the local engine's) that holds an image of the job's inputs. */
function heldBy(job: BuildJob, builder: OpenBuilder, context: AttemptContext): string | undefined {
  const candidates = [builder.storeId, context.local?.id].filter((id): id is string => id !== undefined);
  return candidates.find((id) => isUpToDate(job, context.stores.get(id) ?? new Map()));
}

async function found(
  job: BuildJob,
  builder: OpenBuilder,
  storeId: string,
  context: AttemptContext,
): Promise<JobOutcome> {
  const onBuilder = storeId === builder.storeId;
  const engine = onBuilder ? builder.engine : (context.local?.engine ?? builder.engine);
  const image = context.stores.get(storeId)?.get(job.tags[0] ?? "");
  let outcome: JobOutcome = {
    status: "up-to-date",
    stores: [storeId],
    ...(image !== undefined ? { imageId: image.id } : {}),
    ...(onBuilder ? {} : { elsewhere: true }),
  };
  const target = context.pushTarget(job);
  if (target !== undefined) {
    const hit = context.registry.get(job.key);
    if (hit?.status === "found") outcome = { ...outcome, registryImage: digested(target, hit.digest) };
    else {
      const pushed = await engine.pushImage(job.tags[0] ?? target, target, context);
      const failed = await transferFailure(pushed, onBuilder ? builder : undefined);
      if (failed) return { ...outcome, ...failed };
      if (pushed.status === "done") outcome = { ...outcome, registryImage: digested(target, pushed.digest) };
    }
  }
  return bringHome(job, await pushJobImages(job, outcome, engine, context), storeId, context);
}

/**
 * A result the registry holds: every store that already has it under its tags says so (a dependent on such a
 * builder needs no pull), and the local engine pulls it where it is wanted or has tags to push.
 */
async function fromRegistry(job: BuildJob, ref: string, context: AttemptContext): Promise<JobOutcome> {
  const holders = [...context.stores].filter(([, images]) => isUpToDate(job, images)).map(([id]) => id);
  const outcome: JobOutcome = { status: "up-to-date", elsewhere: true, registryImage: ref, stores: holders };
  const local = context.local;
  if (local === undefined || (!context.wanted.has(job.key) && job.push.length === 0)) return outcome;
  if (local.id === undefined || !holders.includes(local.id)) {
    const pulled = await local.engine.pullImage(ref, job.tags, context);
    const failed = await transferFailure(pulled, undefined);
    if (failed) return { ...outcome, ...failed };
  }
  const home: JobOutcome = {
    ...outcome,
    stores: local.id === undefined || holders.includes(local.id) ? holders : [...holders, local.id],
  };
  return pushJobImages(job, home, local.engine, context);
}

async function buildOn(
  job: BuildJob,
  name: string,
  attempt: Attempt,
  builder: OpenBuilder,
  context: AttemptContext,
): Promise<JobOutcome> {
  const target = job.load ? context.pushTarget(job) : undefined;
  const { handOff, unreachable } = planHandOff(
    job,
    attempt.upstream,
    builder,
    target !== undefined ? [target] : [],
  );
  if (unreachable.length > 0) {
    return {
      status: "failed",
      errorLines: [
        `the images of ${unreachable.join(", ")} are not on builder ${name} and not in a registry`,
      ],
    };
  }
  const built = await builder.engine.build(job, context, context.environment, handOff);
  const handOffs = handOffRecord(handOff);
  let outcome: JobOutcome = {
    status: built.cancelled ? "cancelled" : built.ok ? "built" : "failed",
    steps: built.steps,
    cachedSteps: built.cachedSteps,
    errorLines: built.errorLines,
    command: built.command,
    ...(built.imageId !== undefined ? { imageId: built.imageId } : {}),
    ...(handOffs !== undefined ? { handOffs } : {}),
    ...(builder.storeId !== undefined && job.load ? { stores: [builder.storeId] } : {}),
  };
  if (outcome.status === "failed") {
    // A failed step is the build's fault; a builder that no longer answers is the builder's.
    const down = await builder.engine.probe();
    return down === undefined ? outcome : { ...outcome, builderDown: down };
  }
  if (outcome.status !== "built") return outcome;
  if (target !== undefined) {
    const pushed = await builder.engine.pushImage(target, target, context);
    const failed = await transferFailure(pushed, builder);
    if (failed) return { ...outcome, ...failed };
    if (pushed.status === "done") outcome = { ...outcome, registryImage: digested(target, pushed.digest) };
  }
  outcome = await pushJobImages(job, outcome, builder.engine, context);
  return builder.storeId === undefined ? outcome : bringHome(job, outcome, builder.storeId, context);
}

/**
 * Pull a wanted image into the local engine when it is not there already. The pull holds no builder's slot:
 * it goes on after the attempt ends, and the run waits for it before it ends; its failure fails the job then.
 */
function bringHome(job: BuildJob, outcome: JobOutcome, storeId: string, context: AttemptContext): JobOutcome {
  const local = context.local;
  if (outcome.status !== "built" && outcome.status !== "up-to-date") return outcome;
  if (local === undefined || local.id === storeId || !context.wanted.has(job.key)) return outcome;
  const ref = outcome.registryImage;
  if (ref === undefined) {
    context.onWarning(
      `${job.key}: built on another engine and not in a registry; the local engine does not get it`,
    );
    return outcome;
  }
  context.deferPull(
    job.key,
    local.engine.pullImage(ref, job.tags, context).then((pulled) => transferFailure(pulled, undefined)),
  );
  return outcome;
}

/** A push or pull that did not happen, as the job's outcome; a builder that stopped answering says so. */
async function transferFailure(
  transfer: TransferOutcome,
  builder: OpenBuilder | undefined,
): Promise<Partial<JobOutcome> | undefined> {
  if (transfer.status === "done") return undefined;
  if (transfer.status === "cancelled") return { status: "cancelled", command: transfer.command };
  const down = builder === undefined ? undefined : await builder.engine.probe();
  return {
    status: "failed",
    command: transfer.command,
    errorLines: transfer.errorLines,
    ...(down !== undefined ? { builderDown: down } : {}),
  };
}

/** `ref@sha256:…` when the digest is known, else the (content-addressed) tag itself. */
function digested(ref: string, digest: string | undefined): string {
  return digest === undefined ? ref : `${ref}@${digest}`;
}
