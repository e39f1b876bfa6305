import type { ImageDetails } from "../backends/index.js";
import { InputError } from "../errors.js";
import { normalizeImageRef } from "../util/image-ref.js";
import type { BuildGraph } from "../graph/types.js";
import { INPUT_HASH_LABEL } from "../inputs/index.js";
import type { BuildJob } from "../plan/index.js";

/**
 * Whether the engine already holds this job's image: every tag names one image, and that image carries the
 * job's current input hash. A job without a hash, one asked to build without cache, and a stage build that
 * keeps no image are never up to date.
 */
export function isUpToDate(job: BuildJob, images: ReadonlyMap<string, ImageDetails>): boolean {
  if (job.inputHash === undefined || job.noCache || !job.load) return false;
  const found = job.tags.map((t) => images.get(t));
  const first = found[0];
  return (
    first !== undefined &&
    found.every((i) => i?.id === first.id) &&
    first.labels[INPUT_HASH_LABEL] === job.inputHash
  );
}

/**
 * Images of this project's own services that a build needs but the engine lacks (left out with `--no-deps`,
 * never built): the engine would go looking for them in a registry. Bad input, reported before any build.
 */
export function checkProjectImagesPresent(
  jobs: readonly BuildJob[],
  images: ReadonlyMap<string, ImageDetails>,
  graph: Pick<BuildGraph, "imageOwners" | "nodes">,
): void {
  const unbuilt = [...new Set(jobs.flatMap((job) => job.externalImages))].flatMap((ref) => {
    if (images.has(ref)) return [];
    const owner = graph.imageOwners.get(normalizeImageRef(ref));
    return owner === undefined ? [] : [{ ref, owner }];
  });
  if (unbuilt.length === 0) return;
  throw new InputError(
    unbuilt.map(({ ref, owner }) => ({
      location: graph.nodes.get(owner)?.service.location,
      message: `image "${ref}" of service "${owner}" is needed but the engine does not have it (left out with --no-deps?)`,
      hint: `build it first (dockbuild ${owner}), or drop --no-deps`,
    })),
  );
}
