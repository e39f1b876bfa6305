import type { HandOff } from "../backends/index.js";
import type { BuildJob } from "../plan/index.js";
import type { JobResult } from "../run/types.js";

/** The builder an attempt runs on, as the hand-off sees it. */
export interface AttemptBuilder {
  /** Id of the engine whose image store its results land in. */
  storeId?: string;
  /** Whether its builds read that store. */
  readsStore: boolean;
}

/**
 * How one attempt reads its upstream images: from the builder's own image store where the upstream result is
 * there (nothing pushed or pulled), else from the registry by digest (the Dockerfile's references and named
 * contexts rewritten for this attempt only). `tags` are the result's extra tags (its registry tag). Upstream
 * images that can reach this builder neither way are listed in `unreachable`.
 */
export function planHandOff(
  job: Pick<BuildJob, "upstreamUses">,
  upstream: ReadonlyMap<string, Pick<JobResult, "stores" | "registryImage">>,
  builder: AttemptBuilder,
  tags: readonly string[],
): { handOff: HandOff; unreachable: string[] } {
  const images: Record<string, string> = {};
  const contexts: Record<string, string> = {};
  const unreachable: string[] = [];
  for (const [key, use] of Object.entries(job.upstreamUses ?? {})) {
    const result = upstream.get(key);
    if (result === undefined) continue;
    const here =
      builder.readsStore && builder.storeId !== undefined && (result.stores ?? []).includes(builder.storeId);
    if (here) continue;
    if (result.registryImage === undefined) {
      if (use.refs.length > 0 || use.contexts.length > 0) unreachable.push(key);
      continue;
    }
    for (const ref of use.refs) images[ref] = result.registryImage;
    for (const name of use.contexts) contexts[name] = result.registryImage;
  }
  return { handOff: { images, contexts, tags }, unreachable };
}

/** The hand-offs an attempt made, as its result records them: each reference → the registry image read. */
export function handOffRecord(handOff: HandOff): Record<string, string> | undefined {
  const all = { ...handOff.images, ...handOff.contexts };
  return Object.keys(all).length > 0 ? all : undefined;
}
