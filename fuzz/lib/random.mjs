// A seeded random source: the same seed gives the same inputs on every machine, so that a failure can be
// generated again from its seed and index as well as replayed from the file the harness writes.

/**
 * @typedef {object} Random
 * @property {() => number} next                   a float in [0, 1)
 * @property {(min: number, max: number) => number} int   an integer in [min, max]
 * @property {(p: number) => boolean} chance        true with probability p
 * @property {<T>(items: readonly T[]) => T} pick
 * @property {<T>(entries: readonly [number, T][]) => T} weighted   pick by weight
 * @property {<T>(items: readonly T[], n: number) => T[]} sample    up to n distinct items, in random order
 * @property {(min: number, max: number) => number} log   an integer in [min, max], small values more likely
 * @property {(label: string) => Random} fork       an independent stream, stable whatever else was drawn
 */

/** sfc32 seeded through splitmix32: fast, well mixed, and 32-bit arithmetic only. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const split = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  /** @type {Random} */
  const random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)];
    },
    weighted: (entries) => {
      const total = entries.reduce((sum, [w]) => sum + w, 0);
      let x = next() * total;
      for (const [w, value] of entries) {
        x -= w;
        if (x < 0) return value;
      }
      return entries[entries.length - 1][1];
    },
    sample: (items, n) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy.slice(0, n);
    },
    log: (min, max) => {
      const span = Math.log(max - min + 1);
      return Math.min(max, min + Math.floor(Math.exp(next() * span)) - 1);
    },
    fork: (label) => createRandom(hashSeed(`${seed}:${label}`)),
  };
  return random;
}

/** A 32-bit seed from any text (FNV-1a). */
export function hashSeed(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
