import type { ServiceNode } from "../../graph/types.js";
import type { BuildJob } from "../../plan/types.js";
import {
  computeInputHashes,
  externalRefs,
  INPUT_HASH_LABEL,
  loadGitIndex,
  type GitIndexCache,
} from "../../inputs/index.js";
import type { ImageDetails } from "../../backends/index.js";
import type { Engine } from "./engine.js";

export interface UpToDateCheck {
  /** Jobs whose every tag names one image carrying the job's current input hash. */
  upToDate: Set<string>;
  /** Why some jobs cannot be checked (they are always built). */
  notes: string[];
  /** What the engine said of every tag and external image, by reference. */
  images: ReadonlyMap<string, ImageDetails>;
  /** External images (built by no job of this run) that the engine does not hold. */
  missingExternal: string[];
}

/**
 * Label each job with its input hash, then ask the engine once (one batched inspect of every tag and every
 * external base image) which images already carry that hash. Jobs with no hash are always built.
 */
export async function checkUpToDate(
  jobs: BuildJob[],
  nodes: ReadonlyMap<string, ServiceNode>,
  engine: Engine,
  options: { force: boolean },
): Promise<UpToDateCheck> {
  const external = externalRefs(jobs, nodes);
  const tags = jobs.flatMap((j) => j.tags);
  // git's view of the work trees is read while the engine answers the one batched inspect
  const gitCache: GitIndexCache = new Map();
  const folders = [
    ...new Set(
      jobs.flatMap((j) => [
        j.context,
        ...Object.values(j.namedContexts).flatMap((c) => (c.kind === "path" ? [c.path] : [])),
      ]),
    ),
  ];
  const [images] = await Promise.all([
    engine.inspect([...new Set([...external, ...tags])]),
    // git lists only these folders, not every ignored file of the repository (node_modules, build output)
    ...folders.map((dir) => loadGitIndex(dir, gitCache, folders).catch(() => undefined)),
  ]);
  const externalIds: Record<string, string> = {};
  for (const ref of external) {
    const image = images.get(ref);
    if (image) externalIds[ref] = image.id;
  }
  const notes: string[] = [];
  const hashes = await computeInputHashes(jobs, nodes, externalIds, {
    gitCache,
    onUnhashable: (id, reason) => notes.push(`${id} is always built: ${reason}`),
  });
  const upToDate = new Set<string>();
  for (const job of jobs) {
    const hash = hashes.get(job.id);
    if (hash === undefined) continue;
    job.inputHash = hash;
    job.labels = { ...job.labels, [INPUT_HASH_LABEL]: hash };
    if (options.force || job.noCache || !job.load) continue;
    const found = job.tags.map((t) => images.get(t));
    const first = found[0];
    if (first && found.every((i) => i?.id === first.id) && first.labels[INPUT_HASH_LABEL] === hash)
      upToDate.add(job.id);
  }
  return { upToDate, notes, images, missingExternal: external.filter((ref) => !images.has(ref)) };
}
