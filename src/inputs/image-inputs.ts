import type { StageBase } from "../dockerfile/types.js";
import { normalizeImageRef } from "../graph/image-ref.js";
import type { ServiceNode } from "../graph/types.js";
import type { BuildJob } from "../plan/types.js";

/** What one job's images come from: jobs of this run, and images from outside it. */
export interface ImageInputs {
  /** Ids of the jobs of this run whose images the build uses. */
  upstream: string[];
  /** References of images no job of this run builds (as written, first spelling kept). */
  external: string[];
}

/**
 * The images each job's build uses — FROM, COPY --from and RUN --mount=from of the stages it runs, and image
 * named contexts — split into those a job of this run builds (matched by tag) and external ones.
 */
export function imageInputsOf(
  jobs: readonly BuildJob[],
  nodes: ReadonlyMap<string, ServiceNode>,
): Map<string, ImageInputs> {
  const owner = new Map<string, string>();
  for (const job of jobs) for (const tag of job.tags) owner.set(normalizeImageRef(tag), job.id);
  const ids = new Set(jobs.map((job) => job.id));
  const result = new Map<string, ImageInputs>();
  for (const job of jobs) {
    // A dependency outside this run is already built: its image is then an external one, found by its tag.
    const upstream = new Set(job.dependsOn.filter((id) => ids.has(id)));
    const external = new Map<string, string>();
    const useImage = (ref: string) => {
      const normalized = normalizeImageRef(ref);
      const built = owner.get(normalized);
      if (built !== undefined) upstream.add(built);
      else if (!external.has(normalized)) external.set(normalized, ref);
    };
    for (const stage of nodes.get(job.id)?.stages ?? []) {
      for (const from of [stage.base, ...stage.sources.map((s) => s.from)]) {
        const ref = imageRef(from);
        // A reference that names a named context is that context, counted below.
        if (ref !== undefined && !Object.hasOwn(job.namedContexts, ref)) useImage(ref);
      }
    }
    for (const context of Object.values(job.namedContexts)) {
      if (context.kind !== "image") continue;
      const built = builderOf(jobs, context.service);
      if (built !== undefined) upstream.add(built);
      else useImage(context.ref);
    }
    upstream.delete(job.id);
    result.set(job.id, { upstream: [...upstream], external: [...external.values()] });
  }
  return result;
}

/** The external image refs whose local ids `computeInputHashes` needs: images the builds use that no job builds. */
export function externalRefs(jobs: readonly BuildJob[], nodes: ReadonlyMap<string, ServiceNode>): string[] {
  const seen = new Map<string, string>();
  for (const { external } of imageInputsOf(jobs, nodes).values()) {
    for (const ref of external) if (!seen.has(normalizeImageRef(ref))) seen.set(normalizeImageRef(ref), ref);
  }
  return [...seen.values()];
}

/** The job of this run that builds `service`'s image, if any. */
export function builderOf(jobs: readonly BuildJob[], service: string | undefined): string | undefined {
  if (service === undefined) return undefined;
  return jobs.find((job) => job.services.includes(service))?.id;
}

function imageRef(base: StageBase): string | undefined {
  return base.kind === "image" ? base.ref : undefined;
}
