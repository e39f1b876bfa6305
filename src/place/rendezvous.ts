import { createHash } from "node:crypto";
import type { BuilderSlots } from "./types.js";

/**
 * The weighted rendezvous (highest random weight) score of `key` on a builder: a builder takes the keys it
 * scores highest on, in proportion to its weight. Adding or losing a builder moves only the keys it wins or
 * held, so a context keeps landing where its layers and cache mounts are warm, run after run.
 */
export function rendezvousScore(key: string, builder: string, weight: number): number {
  const digest = createHash("sha256").update(`${key}\0${builder}`).digest();
  // 48 bits as a uniform number strictly between 0 and 1
  const uniform = (digest.readUIntBE(0, 6) + 0.5) / 2 ** 48;
  return -weight / Math.log(uniform);
}

/** The builder that wins `key` among these (weighted by slots); undefined for none. Ties go to the earlier one. */
export function rendezvousBuilder(key: string, builders: readonly BuilderSlots[]): BuilderSlots | undefined {
  let best: BuilderSlots | undefined;
  let bestScore = -Infinity;
  for (const builder of builders) {
    const score = rendezvousScore(key, builder.name, builder.slots);
    if (score > bestScore) {
      best = builder;
      bestScore = score;
    }
  }
  return best;
}
