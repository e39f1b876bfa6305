import type { MatrixEntry } from "./format.js";

/**
 * Leave out the jobs whose result a registry already holds (by content-addressed tag), and let the others
 * read those upstream images from the registry instead of waiting for a job that would rebuild them.
 */
export function leaveOutExisting(
  entries: readonly MatrixEntry[],
  existing: ReadonlySet<string>,
): MatrixEntry[] {
  return entries
    .filter((entry) => !existing.has(entry.service))
    .map((entry) => {
      const fromRegistry = entry.dependsOn.filter((d) => existing.has(d));
      if (fromRegistry.length === 0) return entry;
      return {
        ...entry,
        dependsOn: entry.dependsOn.filter((d) => !existing.has(d)),
        upstreamFromRegistry: [...(entry.upstreamFromRegistry ?? []), ...fromRegistry],
      };
    });
}
