/**
 * Builds at once when not told: no limit, as bake and Compose have none. Builds that become ready together go to
 * the engine as one bake (one client process, one session), and the engine shares the CPU among the steps of
 * every build it runs. A limit below their number splits them: each build that waits starts later, as a build or
 * a bake of its own, with its own client process and session. Measured on 2 cores, a cold build of 40 services on
 * one base, 5 alternating runs (bench/README.md): 29.4 s with 16 at once, 26.9 s with no limit (bake: 25.2 s).
 * `-j N` or the config's `concurrency` sets a limit where memory or disk calls for one.
 */
export function defaultConcurrency(): number {
  return Number.POSITIVE_INFINITY;
}
