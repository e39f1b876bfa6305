import type { BuildJob } from "./types.js";

/** Freeze planned jobs all the way down: a job is final when the plan returns it, and nothing may edit it. */
export function freezeJobs(jobs: readonly BuildJob[]): readonly BuildJob[] {
  for (const job of jobs) deepFreeze(job);
  return Object.freeze([...jobs]);
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
