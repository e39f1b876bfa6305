import { createHash } from "node:crypto";
import path from "node:path";
import type { CacheMount } from "../dockerfile/types.js";
import type { ServiceNode } from "../graph/types.js";
import type { BuildJob } from "../plan/types.js";

/** A cache mount as a service's build uses it. */
export interface MountUse {
  mount: CacheMount;
  /** The service (or `service:stage` job) whose build runs the RUN. */
  service: string;
}

/** One cache mount of the engine, as export and import handle it: mounts with the same id are one. */
export interface PlannedMount {
  /** The id BuildKit keys the mount by: as written, or the cleaned target path when none was written. */
  id: string;
  /** The first target it is mounted at (others may differ; the contents are the same). */
  target: string;
  sharing: CacheMount["sharing"];
  /** Its folder in the export directory: safe as a file name and a bind-mount source, unique per id. */
  folder: string;
  services: string[];
}

export interface MountPlan {
  mounts: PlannedMount[];
  /** Mounts that cannot be written into a generated Dockerfile, with why. */
  skipped: { id: string; services: string[]; reason: string }[];
}

/** Characters the generated `--mount=…,id=ID` cannot carry: CSV separators and quotes, blanks, variables. */
const UNSAFE_ID = /[,"'\s$\\]/;

/** Every cache mount of the named services' target stages (ServiceNode.cacheMounts). */
export function mountsOfServices(
  names: readonly string[],
  nodes: ReadonlyMap<string, Pick<ServiceNode, "cacheMounts">>,
): MountUse[] {
  return names.flatMap((name) =>
    (nodes.get(name)?.cacheMounts ?? []).map((mount) => ({ mount, service: name })),
  );
}

/** Every cache mount of the stages the jobs run, for each service the job builds. */
export function mountsOfJobs(jobs: readonly Pick<BuildJob, "services" | "cacheMounts">[]): MountUse[] {
  return jobs.flatMap((job) =>
    job.cacheMounts.flatMap((mount) => job.services.map((service) => ({ mount, service }))),
  );
}

/** Merge uses into one entry per mount id, in the order first used; the services of each, each once. */
export function planCacheMounts(uses: readonly MountUse[]): MountPlan {
  const byId = new Map<string, PlannedMount>();
  for (const { mount, service } of uses) {
    const id = mountId(mount);
    const known = byId.get(id);
    if (known) {
      if (!known.services.includes(service)) known.services.push(service);
      continue;
    }
    byId.set(id, {
      id,
      target: mount.target,
      sharing: mount.sharing,
      folder: mountFolder(id),
      services: [service],
    });
  }
  const plan: MountPlan = { mounts: [], skipped: [] };
  for (const mount of byId.values()) {
    if (UNSAFE_ID.test(mount.id) || mount.id === "") {
      plan.skipped.push({
        id: mount.id,
        services: mount.services,
        reason:
          "its id has a comma, quote, blank, $ or backslash (or is empty), which a generated --mount cannot carry",
      });
    } else plan.mounts.push(mount);
  }
  return plan;
}

/** BuildKit's key for a cache mount: the id as written, else `filepath.Clean(target)` (`/root/.npm/` → `/root/.npm`). */
export function mountId(mount: Pick<CacheMount, "id" | "target">): string {
  // The dockerfile module records a missing id as the target itself.
  if (mount.id !== mount.target) return mount.id;
  const clean = path.posix.normalize(mount.target);
  return clean.length > 1 ? clean.replace(/\/+$/, "") : clean;
}

/**
 * A folder name for a mount id: its readable part (`/root/.npm` → `root-.npm`) and 8 hex digits of the id's
 * hash, so that ids differing only in unsafe characters get different folders.
 */
export function mountFolder(id: string): string {
  const readable = id
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 48)
    .replace(/[-.]+$/, "");
  const hash = createHash("sha256").update(id).digest("hex").slice(0, 8);
  return `${readable || "mount"}-${hash}`;
}
