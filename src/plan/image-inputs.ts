import { externalReferences, type Stage } from "../dockerfile/index.js";
import { normalizeImageRef } from "../util/image-ref.js";
import type { NamedContext } from "../graph/named-context.js";
import type { DraftJob } from "./draft-job.js";

/** What one build's images come from: builds of the same plan, and images from outside it. */
export interface ImageInputs {
  /** Keys of the plan's jobs whose images the build uses. */
  upstream: string[];
  /** References of images no job of the plan builds (as written, first spelling kept). */
  external: string[];
  /** Image named contexts that a job of the plan builds: context name → job key. */
  contextJobs: Record<string, string>;
  /** Per upstream job: the references the build names its image by (FROM, COPY --from, mounts). */
  upstreamRefs: Record<string, string[]>;
}

/** A build as image inputs see it: the stages it runs and its named contexts. */
export interface ImageUser {
  stages: readonly Stage[];
  namedContexts: Readonly<Record<string, NamedContext>>;
}

/**
 * Split the images a build uses — FROM, COPY --from and RUN --mount=from of the stages it runs, and image
 * named contexts — into those a job of the plan builds (`owners`: normalized tag → job key, and
 * `serviceJobs`: service → job key) and external ones. A reference that names a named context is that context.
 */
export function imageInputsOf(
  user: ImageUser,
  owners: ReadonlyMap<string, string>,
  serviceJobs: ReadonlyMap<string, string>,
): ImageInputs {
  const upstream = new Set<string>();
  const external = new Map<string, string>();
  const contextJobs: Record<string, string> = {};
  const upstreamRefs: Record<string, string[]> = {};
  const useImage = (ref: string) => {
    const normalized = normalizeImageRef(ref);
    const built = owners.get(normalized);
    if (built !== undefined) {
      upstream.add(built);
      const refs = (upstreamRefs[built] ??= []);
      if (!refs.includes(ref)) refs.push(ref);
    } else if (!external.has(normalized)) external.set(normalized, ref);
  };
  for (const { ref } of externalReferences(user.stages)) {
    if (!Object.hasOwn(user.namedContexts, ref)) useImage(ref);
  }
  for (const [name, context] of Object.entries(user.namedContexts)) {
    if (context.kind !== "image") continue;
    const built = context.service === undefined ? undefined : serviceJobs.get(context.service);
    if (built === undefined) useImage(context.ref);
    else {
      upstream.add(built);
      contextJobs[name] = built;
    }
  }
  return { upstream: [...upstream], external: [...external.values()], contextJobs, upstreamRefs };
}

/** Which of a plan's jobs each job builds on, and which images it takes from outside the plan. */
export function planImageInputs(drafts: readonly DraftJob[]): Map<string, ImageInputs> {
  const owners = new Map<string, string>();
  const serviceJobs = new Map<string, string>();
  for (const { job } of drafts) {
    for (const tag of job.tags) owners.set(normalizeImageRef(tag), job.key);
    if (job.id.stage === undefined) for (const service of job.services) serviceJobs.set(service, job.key);
  }
  const keys = new Set(drafts.map(({ job }) => job.key));
  return new Map(
    drafts.map(({ job, stages }) => {
      const found = imageInputsOf({ stages, namedContexts: job.namedContexts }, owners, serviceJobs);
      // A dependency outside the plan is already built: its image is then an external one, found by its tag.
      const upstream = new Set([...job.dependsOn.filter((d) => keys.has(d)), ...found.upstream]);
      upstream.delete(job.key);
      return [job.key, { ...found, upstream: [...upstream] }];
    }),
  );
}
