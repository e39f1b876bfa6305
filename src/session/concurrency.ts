import os from "node:os";

/**
 * A build spends much of its time waiting (on downloads, on the engine's own scheduling) and the engine shares
 * the CPU among the steps of every build it runs, so four builds per core keep it busy; the cap of 16 keeps
 * memory and disk use in check on large machines.
 */
export function defaultConcurrency(): number {
  return Math.min(16, Math.max(4, 4 * os.availableParallelism()));
}
