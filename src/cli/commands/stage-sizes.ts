import type { ServiceNode } from "../../graph/types.js";
import type { Stage } from "../../dockerfile/types.js";
import type { JobResult } from "../../run/types.js";
import type { Engine } from "./engine.js";

/**
 * The stage whose size shows what a multi-stage build saves: the one the target copies its artifacts from
 * (`COPY --from=builder`), else a stage named like a builder; none when the target is the only stage.
 */
export function builderStageOf(stages: readonly Stage[]): string | undefined {
  const target = stages.at(-1);
  if (!target || stages.length < 2) return undefined;
  const copied = target.sources.find((s) => s.instruction === "COPY" && s.from.kind === "stage");
  if (copied?.from.kind === "stage") return copied.from.stage;
  const named = stages
    .slice(0, -1)
    .reverse()
    .find((s) => /build|compile/i.test(s.name));
  if (named) return named.name;
  return target.base.kind === "stage" ? undefined : stages.at(-2)?.name;
}

/**
 * Build each result's builder stage again (every step comes from the layer cache), read its size, and drop
 * the temporary tag: so the summary can set the final image next to the stage it was cut from.
 */
export async function measureBuilderStages(
  results: JobResult[],
  nodes: ReadonlyMap<string, ServiceNode>,
  engine: Engine,
  signal: AbortSignal,
): Promise<void> {
  const probes: { result: JobResult; stage: string; tag: string }[] = [];
  for (const result of results) {
    if (result.status !== "built" && result.status !== "up-to-date") continue;
    const node = nodes.get(result.job.id);
    const stage = node ? builderStageOf(node.stages) : undefined;
    if (!node || stage === undefined) continue;
    const tag = `dockbuild-stage-size/${result.job.id.toLowerCase().replace(/[^a-z0-9_.-]/g, "-")}:${stage.toLowerCase().replace(/[^a-z0-9_.-]/g, "-")}`;
    const index = node.stages.findIndex((s) => s.name === stage);
    const job = {
      ...result.job,
      target: stage,
      stages: node.stages.slice(0, index + 1).map((s) => s.name),
      tags: [tag],
      cacheTo: [],
      noCache: false,
      pull: false,
      load: true,
    };
    const outcome = await engine.build(
      job,
      { signal, onLine: () => {}, onStep: () => {}, onCommand: () => {} },
      () => {},
    );
    if (outcome.status === "built") probes.push({ result, stage, tag });
  }
  if (probes.length === 0) return;
  const images = await engine.inspect(probes.map((p) => p.tag));
  for (const { result, stage, tag } of probes) {
    const image = images.get(tag);
    if (image) result.builderStage = { name: stage, sizeBytes: image.sizeBytes };
  }
  await engine.untag(probes.map((p) => p.tag));
}
