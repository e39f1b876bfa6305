import { randomBytes } from "node:crypto";
import type { Engine, ImageDetails } from "../backends/index.js";
import { DockbuildError } from "../errors.js";
import { readContextDigests } from "../inputs/index.js";
import {
  planInputRequests,
  planJobs,
  type BuildPlan,
  type LayerCacheSettings,
  type PlanOptions,
} from "../plan/index.js";
import type { Selection } from "../select/select.js";
import { normalizeImageRef } from "../util/image-ref.js";
import { existingJobs, type LocalEngine } from "./attempt.js";
import { builderRequests } from "./builder-requests.js";
import type { Builders } from "./builders.js";
import { checkEveryJobFits, questionEngine, type Fleet } from "./fleet.js";
import type { LoadedProject } from "./load-project.js";
import { lookupRegistryImages } from "./registry-lookup.js";
import { checkProjectImagesPresent } from "./up-to-date.js";

/** What a run over builders has before its jobs are final. */
export interface FleetInputs {
  loaded: LoadedProject;
  selection: Selection;
  /** Plan options that do not depend on the builders (cache settings come with a backend from here). */
  planOptions: Omit<PlanOptions, "builders" | "registry" | "inputs" | "cache">;
  /** Layer cache settings; their backend is the first builder's. */
  cache?: LayerCacheSettings;
  builders: Builders;
  /** The engine the Docker client reaches, when it answered. */
  local?: Engine;
  force: boolean;
  dryRun: boolean;
  warn(message: string): void;
}

/**
 * Plan over the builders that answered: the jobs with the builder each prefers and, with input hashes, their
 * registry tags; then read what every image store and the registry hold, so that each attempt can tell
 * whether its job is up to date. A job that no builder fits ends the run here, before anything is built.
 */
export async function prepareFleet(input: FleetInputs): Promise<{ plan: BuildPlan; fleet: Fleet }> {
  const { loaded, selection, builders } = input;
  for (const [name, why] of builders.down) input.warn(`builder ${name} is left out: ${why}`);
  if (builders.open.length === 0) {
    throw new DockbuildError("NO_ENGINE", "no builder answered", {
      hint: [
        ...[...builders.down].map(([name, why]) => `${name}: ${why}`),
        ...(builders.excluded ?? []).map((name) => `${name}: left out by --builder`),
      ].join("\n"),
    });
  }
  const first = builders.open[0]?.engine as Engine;
  const local: LocalEngine | undefined =
    input.local === undefined
      ? undefined
      : { engine: input.local, ...(await idOf(input.local, input.dryRun)) };
  const planOptions: PlanOptions = {
    ...input.planOptions,
    ...(input.cache !== undefined ? { cache: { settings: input.cache, backend: first.info.backend } } : {}),
    builders: {
      list: builders.open.map((b) => b.slots),
      requests: builderRequests(loaded.config, loaded.graph),
    },
    ...(loaded.config.registry !== undefined ? { registry: loaded.config.registry } : {}),
  };
  const base = {
    builders,
    ...(local !== undefined ? { local } : {}),
    ...(loaded.config.registry !== undefined ? { registryPrefix: loaded.config.registry } : {}),
    runId: randomBytes(6).toString("hex"),
  };
  let plan = planJobs(loaded.graph, selection, planOptions);
  const wanted = new Set(
    plan.jobs
      .filter((job) => job.services.some((s) => selection.requested.includes(s)))
      .map((job) => job.key),
  );
  if (input.dryRun) {
    checkEveryJobFits(plan.jobs, builders);
    return { plan, fleet: { ...base, stores: new Map(), registry: new Map(), wanted, existing: new Set() } };
  }

  const asker = questionEngine(base) as Engine;
  const requests = planInputRequests(plan.jobs);
  const [inspected, contexts] = await Promise.all([
    asker.inspect(requests.imageRefs),
    readContextDigests(requests.contexts),
  ]);
  const imageIds = new Map([...inspected].map(([ref, image]) => [normalizeImageRef(ref), image.id]));
  plan = planJobs(loaded.graph, selection, { ...planOptions, inputs: { contexts, imageIds } });
  checkProjectImagesPresent(plan.jobs, inspected, loaded.graph);
  const tags = [...new Set(plan.jobs.flatMap((job) => job.tags))];
  const [stores, registry] = await Promise.all([
    readStores(builders, local, tags),
    input.force ? new Map() : lookupRegistryImages(plan.jobs, asker, input.warn),
  ]);
  // A result the registry holds needs no builder: only the others must fit one.
  const existing = existingJobs(plan.jobs, registry);
  checkEveryJobFits(
    plan.jobs.filter((job) => !existing.has(job.key)),
    builders,
  );
  return { plan, fleet: { ...base, stores, registry, wanted, existing } };
}

/** What every image store (each builder's and the local engine's, each once) holds of these tags. */
async function readStores(
  builders: Builders,
  local: LocalEngine | undefined,
  tags: string[],
): Promise<Map<string, ReadonlyMap<string, ImageDetails>>> {
  const askers = new Map<string, Engine>();
  if (local?.id !== undefined) askers.set(local.id, local.engine);
  for (const builder of builders.open)
    if (builder.storeId !== undefined && !askers.has(builder.storeId))
      askers.set(builder.storeId, builder.engine);
  const read = await Promise.all(
    [...askers].map(async ([id, engine]) => {
      // A store that cannot be read holds nothing the run can count on; a dead builder shows when a job runs.
      const images = await engine.inspect(tags).catch(() => new Map<string, ImageDetails>());
      return [id, images] as const;
    }),
  );
  return new Map(read);
}

async function idOf(engine: Engine, dryRun: boolean): Promise<{ id?: string }> {
  if (dryRun) return {};
  const id = await engine.engineId();
  return id === undefined ? {} : { id };
}
