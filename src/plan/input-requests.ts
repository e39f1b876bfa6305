import { isRemoteContext } from "../util/remote-context.js";
import type { ContextRequest } from "../inputs/index.js";
import type { BuildJob } from "./types.js";

/** What to read before planning with input hashes: the images to ask the engine about, the folders to hash. */
export interface InputRequests {
  /** Every tag the jobs make (for the up-to-date check) and every external image they use (for its id). */
  imageRefs: string[];
  contexts: ContextRequest[];
}

/** The reads a plan's jobs need for their input hashes and up-to-date checks, each once. */
export function planInputRequests(jobs: readonly BuildJob[]): InputRequests {
  const refs = new Set<string>();
  const contexts = new Map<string, ContextRequest>();
  const add = (request: ContextRequest) => contexts.set(`${request.dir}\0${request.dockerfile}`, request);
  for (const job of jobs) {
    for (const ref of [...job.externalImages, ...job.tags]) refs.add(ref);
    if (!isRemoteContext(job.context)) add({ dir: job.context, dockerfile: job.dockerfile });
    for (const context of Object.values(job.namedContexts)) {
      if (context.kind === "path") add({ dir: context.path, dockerfile: null });
    }
  }
  return { imageRefs: [...refs], contexts: [...contexts.values()] };
}
