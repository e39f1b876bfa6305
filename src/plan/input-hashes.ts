import { normalizeImageRef } from "../util/image-ref.js";
import { sequenceGraph } from "../graph/sequence.js";
import { computeJobHash, contextKey, type ContextDigest } from "../inputs/index.js";
import { isRemoteContext } from "../util/remote-context.js";
import type { ImageInputs } from "./image-inputs.js";
import type { BuildJob } from "./types.js";

/** What was read before planning, for input hashes: context digests and the ids of images the engine holds. */
export interface PlanInputs {
  /** By `contextKey`: each build context's and path named context's digest. */
  contexts: ReadonlyMap<string, ContextDigest>;
  /** Image id by normalized reference, for every image the engine holds among those asked about. */
  imageIds: ReadonlyMap<string, string>;
}

/** A job's input hash, or why it cannot have one (it is then always built). */
export type InputHashResult = { hash: string } | { reason: string };

/**
 * The input hash of every job whose inputs can all be known, upstream first. A job gets none — and so is
 * always built — when a context is a URL, `pull` is set, an external image has no id in the engine, a context
 * cannot be read, it is on a cycle, or a job it builds on has none.
 */
export function planInputHashes(
  jobs: readonly BuildJob[],
  images: ReadonlyMap<string, ImageInputs>,
  inputs: PlanInputs,
): Map<string, InputHashResult> {
  const results = new Map<string, InputHashResult>();
  const byKey = new Map(jobs.map((job) => [job.key, job]));
  const sequence = sequenceGraph(new Map(jobs.map((job) => [job.key, images.get(job.key)?.upstream ?? []])));
  const ordered = new Set(sequence.chunks.flat());
  for (const job of jobs) {
    if (!ordered.has(job.key))
      results.set(job.key, { reason: "it is on a cycle of build-time dependencies" });
  }
  for (const key of sequence.chunks.flat()) {
    const job = byKey.get(key);
    if (job !== undefined) results.set(key, hashJob(job, images.get(key), inputs, results));
  }
  return results;
}

function hashJob(
  job: BuildJob,
  images: ImageInputs | undefined,
  inputs: PlanInputs,
  done: ReadonlyMap<string, InputHashResult>,
): InputHashResult {
  const external = images?.external ?? [];
  const imageId = (ref: string) => inputs.imageIds.get(normalizeImageRef(ref));
  if (isRemoteContext(job.context)) return { reason: `its context is a URL (${job.context})` };
  if (job.pull) return { reason: "it pulls its base images on every build" };
  const url = Object.entries(job.namedContexts).find(([, c]) => c.kind === "url");
  if (url) return { reason: `its named context "${url[0]}" is a URL` };
  const unknown = external.find((ref) => imageId(ref) === undefined);
  if (unknown !== undefined)
    return { reason: `the image ${unknown} is not in the engine, so its id is unknown` };
  if (job.dockerfileText === undefined) return { reason: "its Dockerfile cannot be read" };

  const digest = (dir: string, dockerfile: string | undefined | null): ContextDigest =>
    inputs.contexts.get(contextKey({ dir, dockerfile })) ?? { error: `the context ${dir} was not read` };
  const main = digest(job.context, job.dockerfile);
  if ("error" in main) return { reason: main.error };

  const upstreamHashes: string[] = [];
  for (const upstream of images?.upstream ?? []) {
    const result = done.get(upstream);
    if (result === undefined || "reason" in result)
      return { reason: `it builds on ${upstream}, which has no input hash` };
    upstreamHashes.push(result.hash);
  }
  const namedContextHashes: Record<string, string> = {};
  for (const [name, context] of Object.entries(job.namedContexts)) {
    if (context.kind === "path") {
      const named = digest(context.path, null);
      if ("error" in named) return { reason: named.error };
      namedContextHashes[name] = named.hash;
    } else if (context.kind === "image") {
      const job = images?.contextJobs[name];
      const built = job === undefined ? undefined : done.get(job);
      const hash = built !== undefined && "hash" in built ? built.hash : imageId(context.ref);
      if (hash !== undefined) namedContextHashes[name] = hash;
    }
  }
  const externalImageIds: Record<string, string> = {};
  for (const ref of external) externalImageIds[normalizeImageRef(ref)] = imageId(ref) ?? "";
  return {
    hash: computeJobHash({
      job,
      contextHash: main.hash,
      dockerfileText: job.dockerfileText,
      upstreamHashes,
      externalImageIds,
      namedContextHashes,
    }),
  };
}
