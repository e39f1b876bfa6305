// Pure: a generated monorepo graph for the scheduler simulation — a few base images, libraries built on them,
// applications built on both — with durations and image sizes drawn from long-tailed (log-normal)
// distributions, the shape measured builds have. Seeded, so every run of the bench simulates the same graphs.

/** A small fast seeded generator (mulberry32): numbers in [0, 1). */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A log-normal draw with this median and spread (sigma of the log), clamped to [min, max]. */
export function logNormal(random, median, sigma, min, max) {
  const u = Math.max(random(), 1e-12);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(max, Math.max(min, median * Math.exp(sigma * normal)));
}

/** Per kind of service: median cold build time (s) and image size (MB). */
export const KINDS = {
  base: { share: 0.02, seconds: 120, megabytes: 300 },
  lib: { share: 0.18, seconds: 45, megabytes: 60 },
  app: { share: 0.8, seconds: 60, megabytes: 120 },
};

/**
 * @typedef {object} SimService
 * @property {string} key
 * @property {"base"|"lib"|"app"} kind
 * @property {string[]} dependsOn   keys of the services whose images it builds on
 * @property {number} coldMs        build time with nothing cached on its builder
 * @property {number} bytes         size of its image
 */

/**
 * `n` services: bases (some built on an earlier base), libraries on a base and up to two earlier libraries,
 * applications on a base and one to three libraries.
 * @returns {SimService[]}
 */
export function generateGraph(n, seed = 1) {
  const random = seededRandom(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const bases = Math.max(2, Math.round(n * KINDS.base.share));
  const libs = Math.max(1, Math.round(n * KINDS.lib.share));
  /** @type {SimService[]} */
  const services = [];
  const draw = (kind) => ({
    coldMs: Math.round(logNormal(random, KINDS[kind].seconds, 0.7, 3, 1200) * 1000),
    bytes: Math.round(logNormal(random, KINDS[kind].megabytes, 0.6, 2, 4000) * 1e6),
  });
  const baseKeys = [];
  const libKeys = [];
  for (let i = 0; i < n; i++) {
    const kind = i < bases ? "base" : i < bases + libs ? "lib" : "app";
    const key = `${kind}-${String(i).padStart(5, "0")}`;
    const deps = new Set();
    if (kind === "base" && baseKeys.length > 0 && random() < 0.3) deps.add(pick(baseKeys));
    if (kind === "lib") {
      deps.add(pick(baseKeys));
      const extra = Math.floor(random() * 3);
      for (let k = 0; k < extra && libKeys.length > 0; k++) deps.add(pick(libKeys));
    }
    if (kind === "app") {
      deps.add(pick(baseKeys));
      const count = 1 + Math.floor(random() * 3);
      for (let k = 0; k < count; k++) deps.add(pick(libKeys));
    }
    services.push({ key, kind, dependsOn: [...deps], ...draw(kind) });
    (kind === "base" ? baseKeys : kind === "lib" ? libKeys : []).push(key);
  }
  return services;
}

/** The longest chain of build times (each service's `ms(s)`), the least any number of builders can take. */
export function criticalPathMs(services, ms) {
  const byKey = new Map(services.map((s) => [s.key, s]));
  const memo = new Map();
  const finish = (key) => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    const s = byKey.get(key);
    const value = s === undefined ? 0 : ms(s) + Math.max(0, ...s.dependsOn.map(finish));
    memo.set(key, value);
    return value;
  };
  return Math.max(0, ...services.map((s) => finish(s.key)));
}
