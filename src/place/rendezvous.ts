import type { BuilderSlots } from "./types.js";

/**
 * The weighted rendezvous (highest random weight) score of `key` on a builder: a builder takes the keys it
 * scores highest on, in proportion to its weight. Adding or losing a builder moves only the keys it wins or
 * held, so a context keeps landing where its layers and cache mounts are warm, run after run.
 */
export function rendezvousScore(key: string, builder: string, weight: number): number {
  // 53 bits as a uniform number strictly between 0 and 1
  const uniform = (hash53(`${key}\0${builder}`) + 0.5) / 2 ** 53;
  return -weight / Math.log(uniform);
}

/**
 * A fast, well-mixed 53-bit string hash (two 32-bit multiply-xorshift lanes, as in the public-domain
 * cyrb53): placement hashes every build against every builder, and a cryptographic hash would dominate a
 * large run's scheduling time. Stable across machines and Node versions.
 */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
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
