import { detectEngine, inspectImages, runBuild } from "../backends/index.js";
import { builderStageOf } from "../cli/commands/stage-sizes.js";
import { runCommand } from "../exec/index.js";
import type { BuildGraph } from "../graph/types.js";
import { planJob } from "../plan/plan.js";
import type { MeasuredSize } from "./rules/image-size.js";

/** What measuring found: the sizes, and the services it could not build (with the engine's last error line). */
export interface SizeMeasurement {
  sizes: Map<string, MeasuredSize>;
  failures: { service: string; error: string }[];
}

/**
 * Build each service's target and its builder stage under temporary tags, read their sizes, drop the tags. After
 * a `dockbuild` run every step comes from the layer cache. The one place `check` talks to the engine.
 */
export async function measureSizes(
  graph: BuildGraph,
  services: readonly string[],
  options: { dockerBinary?: string; backend?: "auto" | "buildx" | "docker"; signal: AbortSignal },
): Promise<SizeMeasurement> {
  const engine = await detectEngine({
    dockerBinary: options.dockerBinary,
    backend: options.backend,
    env: process.env,
  });
  const sizes = new Map<string, MeasuredSize>();
  const failures: SizeMeasurement["failures"] = [];
  const tags: string[] = [];
  const build = async (service: string, target: string | undefined, stages: string[], tag: string) => {
    const node = graph.nodes.get(service);
    if (!node) return false;
    const job = { ...planJob(node, graph, [], {}), target, stages, tags: [tag], cacheTo: [], load: true };
    const outcome = await runBuild(job, engine, { signal: options.signal });
    if (!outcome.ok) {
      failures.push({ service, error: outcome.errorLines.at(-1) ?? `exit ${outcome.exitCode ?? "?"}` });
      return false;
    }
    tags.push(tag);
    return true;
  };
  try {
    const probes: { service: string; final: string; builder?: { stage: string; tag: string } }[] = [];
    for (const service of services) {
      const node = graph.nodes.get(service);
      if (!node || node.stages.length === 0) continue;
      const safe = service.toLowerCase().replace(/[^a-z0-9_.-]/g, "-");
      const final = `dockbuild-check/${safe}:final`;
      if (
        !(await build(
          service,
          node.build.target,
          node.stages.map((s) => s.name),
          final,
        ))
      )
        continue;
      const stage = builderStageOf(node.stages);
      const index = node.stages.findIndex((s) => s.name === stage);
      if (stage !== undefined && node.stages[index]?.named === false) {
        // BuildKit builds only named stages as a target
        failures.push({
          service,
          error: `its builder stage ${stage} has no name (FROM … AS builder), so it cannot be built alone`,
        });
      }
      const builderTag = `dockbuild-check/${safe}:builder`;
      const builderBuilt =
        stage !== undefined &&
        node.stages[index]?.named === true &&
        (await build(
          service,
          stage,
          node.stages.slice(0, index + 1).map((s) => s.name),
          builderTag,
        ));
      probes.push({
        service,
        final,
        ...(builderBuilt && stage ? { builder: { stage, tag: builderTag } } : {}),
      });
    }
    const images = await inspectImages(engine.dockerBinary, tags);
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
    if (tags.length > 0) await runCommand(engine.dockerBinary, ["image", "rm", ...tags]);
  }
  return { sizes, failures };
}
