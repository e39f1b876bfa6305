import type { MatrixEntry } from "./format.js";

/**
 * Leave out the jobs whose result a registry already holds (by content-addressed tag), and let the others
 * read those upstream images from the registry instead of waiting for a job that would rebuild them. Waves are
 * counted again among the jobs left (entries come in wave order).
 */
export function leaveOutExisting(
  entries: readonly MatrixEntry[],
  existing: ReadonlySet<string>,
): MatrixEntry[] {
  const waves = new Map<string, number>();
  return entries
    .filter((entry) => !existing.has(entry.service))
    .map((entry) => {
      const dependsOn = entry.dependsOn.filter((d) => !existing.has(d));
      const fromRegistry = entry.dependsOn.filter((d) => existing.has(d));
      const wave = 1 + Math.max(0, ...dependsOn.map((d) => waves.get(d) ?? 0));
      waves.set(entry.service, wave);
      return {
        ...entry,
        wave,
        dependsOn,
        ...(fromRegistry.length > 0
          ? { upstreamFromRegistry: [...(entry.upstreamFromRegistry ?? []), ...fromRegistry] }
          : {}),
      };
    });
}
