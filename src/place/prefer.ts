import { fittingBuilders } from "./fit.js";
import { rendezvousBuilder, rendezvousScore } from "./rendezvous.js";
import type {
  BuilderSlots,
  Placeable,
  PlacementPolicy,
  PlacementState,
  PlacementView,
  Preference,
} from "./types.js";

/**
 * The builder a build prefers among those that fit: the one it is pinned to; else the nearest upstream — the
 * builder running (or that ran) a build of the same context, whose stages they share, then the one that ran
 * its nearest upstream image (that image is already there); else the one its context's rendezvous hash picks.
 */
export function preferredBuilder(
  job: Placeable,
  fitting: readonly BuilderSlots[],
  state: PlacementState,
): Preference | undefined {
  const first = fitting[0];
  if (first === undefined) return undefined;
  if (job.builderRequest?.builder !== undefined) return { builder: first.name, reason: "pinned" };
  const sibling = state.contextOn?.(job.placementKey ?? job.key);
  if (sibling !== undefined && fitting.some((b) => b.name === sibling))
    return { builder: sibling, reason: "stages" };
  const upstream = nearestUpstreamBuilder(job, fitting, state);
  if (upstream !== undefined) return { builder: upstream, reason: "upstream" };
  const hashed = rendezvousBuilder(job.placementKey ?? job.key, fitting) ?? first;
  return { builder: hashed.name, reason: "hash" };
}

/**
 * The fitting builder that ran the most of the build's nearest upstream images: its direct dependencies,
 * else theirs, and so on (an image found in the registry ran nowhere). Ties go to the rendezvous hash.
 */
export function nearestUpstreamBuilder(
  job: Placeable,
  fitting: readonly BuilderSlots[],
  state: PlacementState,
): string | undefined {
  const seen = new Set<string>([job.key]);
  let level = job.dependsOn.filter((d) => !seen.has(d));
  while (level.length > 0) {
    for (const key of level) seen.add(key);
    const counts = new Map<string, number>();
    for (const key of level) {
      const builder = state.placedOn(key);
      if (builder !== undefined) counts.set(builder, (counts.get(builder) ?? 0) + 1);
    }
    let most = 0;
    let tied: BuilderSlots[] = [];
    if (counts.size > 0) {
      for (const builder of fitting) {
        const n = counts.get(builder.name) ?? 0;
        if (n > most) [most, tied] = [n, [builder]];
        else if (n === most && n > 0) tied.push(builder);
      }
    }
    if (tied.length === 1) return tied[0]?.name;
    if (tied.length > 1) return rendezvousBuilder(job.placementKey ?? job.key, tied)?.name;
    level = [...new Set(level.flatMap((key) => state.dependsOn(key)))].filter((d) => !seen.has(d));
  }
  return undefined;
}

/**
 * The builder with the lowest share of its slots busy, then the most free slots; among builders still equal,
 * the one `key` (a build's context) ranks highest by the rendezvous hash, so that a build that must move
 * lands where it went before when that builder is as free as any (else the earlier one).
 */
export function leastBusy(
  builders: readonly BuilderSlots[],
  busy: (builder: string) => number,
  key?: string,
): BuilderSlots | undefined {
  let best: BuilderSlots | undefined;
  const score = (b: BuilderSlots) => (key === undefined ? 0 : rendezvousScore(key, b.name, b.slots));
  for (const builder of builders) {
    if (best === undefined) {
      best = builder;
      continue;
    }
    const load = busy(builder.name) / builder.slots;
    const bestLoad = busy(best.name) / best.slots;
    const free = builder.slots - busy(builder.name);
    const bestFree = best.slots - busy(best.name);
    if (load < bestLoad || (load === bestLoad && free > bestFree)) best = builder;
    else if (load === bestLoad && free === bestFree && score(builder) > score(best)) best = builder;
  }
  return best;
}

/**
 * dockbuild's placement: a build starts on its preferred builder when that has a free slot; only when it is
 * full does the build move, to the least busy fitting builder that has one; when every fitting builder is
 * full it waits.
 */
export const affinityPlacement: PlacementPolicy = (job, view: PlacementView) => {
  const preferred = preferredBuilder(job, view.fitting, view);
  if (preferred === undefined) return undefined;
  const hasRoom = (b: BuilderSlots) => view.busy(b.name) < b.slots;
  const first = view.fitting.find((b) => b.name === preferred.builder);
  if (first !== undefined && hasRoom(first)) return first.name;
  if (!view.mayMove) return undefined;
  return leastBusy(view.fitting.filter(hasRoom), view.busy, job.placementKey ?? job.key)?.name;
};

/**
 * Each build's preferred builder before anything runs, as if every build ran where it prefers: what the plan
 * shows. Undefined for a build no builder fits.
 */
export function planPlacement(
  jobs: readonly Placeable[],
  builders: readonly BuilderSlots[],
): Map<string, Preference | undefined> {
  const byKey = new Map(jobs.map((job) => [job.key, job]));
  const placed = new Map<string, Preference | undefined>();
  const visiting = new Set<string>();
  const state: PlacementState = {
    placedOn: (key) => place(key)?.builder,
    dependsOn: (key) => byKey.get(key)?.dependsOn ?? [],
  };
  function place(key: string): Preference | undefined {
    if (placed.has(key)) return placed.get(key);
    const job = byKey.get(key);
    // A build outside the plan, or one on a cycle, ran nowhere as far as placement knows.
    if (job === undefined || visiting.has(key)) return undefined;
    visiting.add(key);
    const preference = preferredBuilder(job, fittingBuilders(job, builders), state);
    visiting.delete(key);
    placed.set(key, preference);
    return preference;
  }
  for (const job of jobs) place(job.key);
  return placed;
}
