import os from "node:os";

/**
 * Builds at once when not told: at least 16, four per core above that, at most 32. Measured on 2 cores with
 * one-second steps (bench/README.md): 8 at once left a third of 40 builds waiting for a slot (44 s against 35 s
 * at 16 and 24), while builds started together share one engine session, so more at once costs little; the
 * engine shares the CPU among the steps of every build it runs. The cap keeps memory and disk use in check.
 */
export function defaultConcurrency(cores: number = os.availableParallelism()): number {
  return Math.min(32, Math.max(16, 4 * cores));
}
