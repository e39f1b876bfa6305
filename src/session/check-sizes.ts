import type { Engine } from "../backends/index.js";
import type { MeasuredSize } from "../check/rules/image-size.js";
import type { BuildGraph } from "../graph/types.js";
import { planJobs, type BuildJob } from "../plan/index.js";

/** What measuring found: the sizes, and the services it could not build (with the engine's last error line). */
export interface SizeMeasurement {
  sizes: Map<string, MeasuredSize>;
  failures: { service: string; error: string }[];
}

/**
 * Build each service's target and its builder stage under temporary tags, read their sizes, drop the tags.
 * After a `dockbuild` run every step comes from the layer cache.
 */
export async function measureSizes(
  graph: BuildGraph,
  services: readonly string[],
  engine: Pick<Engine, "build" | "inspect" | "untag">,
  signal: AbortSignal,
): Promise<SizeMeasurement> {
  const sizes = new Map<string, MeasuredSize>();
  const failures: SizeMeasurement["failures"] = [];
  const tags: string[] = [];
  const quiet = () => {};
  const build = async (job: BuildJob, service: string, tag: string) => {
    const probe: BuildJob = { ...job, tags: [tag], cacheTo: [], load: true, push: [] };
    const outcome = await engine.build(probe, { signal, onLine: quiet, onStep: quiet, onWarning: quiet });
    if (outcome.ok) tags.push(tag);
    else failures.push({ service, error: outcome.errorLines.at(-1) ?? `exit ${outcome.exitCode ?? "?"}` });
    return outcome.ok;
  };
  try {
    const probes: { service: string; final: string; builder?: { stage: string; tag: string } }[] = [];
    for (const service of services) {
      const node = graph.nodes.get(service);
      if (!node || node.stages.length === 0) continue;
      const [job] = planJobs(graph, { services: [service], requested: [service] }).jobs;
      if (job === undefined) continue;
      const safe = service.toLowerCase().replace(/[^a-z0-9_.-]/g, "-");
      const final = `dockbuild-check/${safe}:final`;
      if (!(await build(job, service, final))) continue;
      const probe = job.sizeProbe;
      const named = node.stages.find((s) => s.name === probe?.stage)?.named === true;
      if (probe !== undefined && !named) {
        // BuildKit builds only named stages as a target
        failures.push({
          service,
          error: `its builder stage ${probe.stage} has no name (FROM … AS builder), so it cannot be built alone`,
        });
      }
      const builderTag = `dockbuild-check/${safe}:builder`;
      const builderBuilt =
        probe !== undefined &&
        named &&
        (await build({ ...job, target: probe.stage, stages: probe.stages }, service, builderTag));
      probes.push({
        service,
        final,
        ...(builderBuilt && probe ? { builder: { stage: probe.stage, tag: builderTag } } : {}),
      });
    }
    const images = await engine.inspect(tags);
    for (const { service, final, builder } of probes) {
      const finalImage = images.get(final);
      if (!finalImage) continue;
      const builderImage = builder ? images.get(builder.tag) : undefined;
      sizes.set(service, {
        finalBytes: finalImage.sizeBytes,
        ...(builder && builderImage
          ? { builder: { stage: builder.stage, bytes: builderImage.sizeBytes } }
          : {}),
      });
    }
  } finally {
    await engine.untag(tags);
  }
  return { sizes, failures };
}
