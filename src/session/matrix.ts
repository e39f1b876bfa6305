import { openEngine } from "../backends/index.js";
import { readContextDigests } from "../inputs/index.js";
import { leaveOutExisting } from "../matrix/filter.js";
import { matrixEntries, type MatrixEntry, type MatrixOptions } from "../matrix/format.js";
import { planInputRequests, planJobs, type BuildPlan } from "../plan/index.js";
import { normalizeImageRef } from "../util/image-ref.js";
import type { LoadedProject } from "./load-project.js";
import { planBuild } from "./plan.js";
import { lookupRegistryImages } from "./registry-lookup.js";
import { selectForRequest, type SelectRequest } from "./select.js";

/** A CI matrix: the plan it comes from and one entry per job to run. */
export interface Matrix {
  plan: BuildPlan;
  entries: MatrixEntry[];
  /** With a registry: jobs (by name) left out because the registry holds their result. */
  existing: string[];
  /** The plan's warnings, then what the registry look-up could not do. */
  warnings: string[];
}

/**
 * One CI job per distinct build of the selected services. With a `registry:` the jobs' input hashes are worked out (the engine the
 * client reaches gives external images' ids) and every job whose `<registry>/<service>:ih-<hash>` exists is
 * left out; the others read those images from the registry. Without an engine nothing is left out.
 */
export async function planMatrix(
  loaded: LoadedProject,
  request: Pick<SelectRequest, "services" | "affectedSince">,
  options: MatrixOptions = {},
): Promise<Matrix> {
  const plan = await planBuild(loaded, { ...request, noDeps: true });
  const entries = matrixEntries(plan, options);
  const registry = loaded.config.registry;
  const warnings: string[] = [...plan.warnings];
  if (registry === undefined) return { plan, entries, existing: [], warnings };
  const engine = await openEngine({
    dockerBinary: loaded.config.docker,
    backend: loaded.config.backend,
  }).catch((error: unknown) => {
    warnings.push(
      `no engine answered (${error instanceof Error ? error.message : String(error)}): input hashes are unknown, so no job is left out`,
    );
    return undefined;
  });
  if (engine === undefined) return { plan, entries, existing: [], warnings };
  // Hashes need the whole chain: every selected service with what it builds on.
  const selection = await selectForRequest(loaded, { ...request, noDeps: false });
  const draft = planJobs(loaded.graph, selection);
  const reads = planInputRequests(draft.jobs);
  const [images, contexts] = await Promise.all([
    engine.inspect(reads.imageRefs),
    readContextDigests(reads.contexts),
  ]);
  const imageIds = new Map([...images].map(([ref, image]) => [normalizeImageRef(ref), image.id]));
  const hashed = planJobs(loaded.graph, selection, { inputs: { contexts, imageIds }, registry });
  const found = await lookupRegistryImages(hashed.jobs, engine, (w) => warnings.push(w));
  const existing = hashed.jobs.filter((job) => found.get(job.key)?.status === "found").map((job) => job.key);
  return { plan, entries: leaveOutExisting(entries, new Set(existing)), existing, warnings };
}
