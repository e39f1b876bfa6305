import path from "node:path";
import { isRemoteContext } from "../util/remote-context.js";
import { planPlacement, type BuilderRequest, type BuilderSlots } from "../place/index.js";
import type { ImageInputs } from "./image-inputs.js";
import type { BuildJob, UpstreamUse } from "./types.js";

/** Builders a run may spread over, and what each service asks of its builder. */
export interface BuilderPlanOptions {
  list: readonly BuilderSlots[];
  /** By service name. */
  requests: ReadonlyMap<string, BuilderRequest>;
}

/**
 * What jobs carry when a run spreads over builders or keeps results in a registry: what each asks of its
 * builder and the one it prefers, how it names its upstream images, and its content-addressed registry tag.
 */
export function planBuilderFields(
  jobs: readonly BuildJob[],
  images: ReadonlyMap<string, ImageInputs>,
  options: { builders?: BuilderPlanOptions; registry?: string; projectDir: string },
): BuildJob[] {
  const keys = new Set(jobs.map((job) => job.key));
  const shaped = jobs.map((job): BuildJob => {
    const request = options.builders?.requests.get(job.id.service);
    const registryImage =
      options.registry !== undefined && job.inputHash !== undefined && job.load && job.id.stage === undefined
        ? registryImageFor(options.registry, job.id.service, job.inputHash)
        : undefined;
    return {
      ...job,
      ...(request !== undefined ? { builderRequest: request } : {}),
      ...(options.builders !== undefined
        ? { placementKey: placementKeyOf(job.context, options.projectDir) }
        : {}),
      ...(registryImage !== undefined ? { registryImage } : {}),
      upstreamUses: upstreamUsesOf(job.key, images.get(job.key), keys),
    };
  });
  if (options.builders === undefined) return shaped;
  const placed = planPlacement(shaped, options.builders.list);
  return shaped.map((job) => {
    const preference = placed.get(job.key);
    return preference === undefined
      ? job
      : { ...job, builder: preference.builder, builderReason: preference.reason };
  });
}

/** `<registry>/<service>:ih-<input hash>`: the name any builder or CI job finds this exact build's result by. */
export function registryImageFor(registry: string, service: string, inputHash: string): string {
  return `${registry.replace(/\/+$/, "")}/${repositoryName(service)}:ih-${inputHash}`;
}

/** A service name as a repository path component: lowercase letters and digits joined by single dashes. */
export function repositoryName(service: string): string {
  const name = service
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name === "" ? "service" : name;
}

/** The context as the project names it (`apps/api`), so that every checkout hashes it alike; a URL as is. */
export function placementKeyOf(context: string, projectDir: string): string {
  if (isRemoteContext(context)) return context;
  const relative = path.relative(projectDir, context);
  return relative === "" ? "." : relative.split(path.sep).join("/");
}

function upstreamUsesOf(
  key: string,
  inputs: ImageInputs | undefined,
  keys: ReadonlySet<string>,
): Record<string, UpstreamUse> {
  const uses: Record<string, { refs: string[]; contexts: string[] }> = {};
  const entry = (job: string) => (uses[job] ??= { refs: [], contexts: [] });
  for (const [job, refs] of Object.entries(inputs?.upstreamRefs ?? {}))
    if (job !== key && keys.has(job)) entry(job).refs.push(...refs);
  for (const [name, job] of Object.entries(inputs?.contextJobs ?? {}))
    if (job !== key && keys.has(job)) entry(job).contexts.push(name);
  return uses;
}
