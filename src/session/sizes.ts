import type { Engine, ImageDetails } from "../backends/index.js";
import type { BuildJob } from "../plan/index.js";
import type { JobResult } from "../run/types.js";

/**
 * Each image's size and id from one batched engine query; images the up-to-date check inspected and left as
 * they were need no second query. Returns new results.
 */
export async function withImageSizes(
  results: readonly JobResult[],
  engine: Pick<Engine, "inspect">,
  known: ReadonlyMap<string, ImageDetails>,
): Promise<JobResult[]> {
  const refs = results
    .filter((r) => r.status === "built" || (r.status === "up-to-date" && !known.has(r.job.tags[0] ?? "")))
    .flatMap((r) => r.job.tags.slice(0, 1));
  const fresh = refs.length > 0 ? await engine.inspect(refs).catch(() => new Map()) : new Map();
  return results.map((result) => {
    const tag = result.job.tags[0] ?? "";
    const image: ImageDetails | undefined =
      fresh.get(tag) ?? (result.status === "up-to-date" ? known.get(tag) : undefined);
    if (!image) return result;
    return { ...result, sizeBytes: image.sizeBytes, imageId: result.imageId ?? image.id };
  });
}

/**
 * Build each result's builder stage again (every step comes from the layer cache), read its size, and drop
 * the temporary tag: so the summary can set the final image next to the stage it was cut from.
 */
export async function withBuilderStageSizes(
  results: readonly JobResult[],
  engine: Pick<Engine, "build" | "inspect" | "untag">,
  signal: AbortSignal,
): Promise<JobResult[]> {
  const probes = new Map<string, { stage: string; tag: string }>();
  for (const result of results) {
    const probe = result.job.sizeProbe;
    if ((result.status !== "built" && result.status !== "up-to-date") || probe === undefined) continue;
    const tag = `dockbuild-stage-size/${safeTagPart(result.job.key)}:${safeTagPart(probe.stage)}`;
    const job: BuildJob = {
      ...result.job,
      target: probe.stage,
      stages: probe.stages,
      tags: [tag],
      cacheTo: [],
      noCache: false,
      pull: false,
      load: true,
      push: [],
    };
    const quiet = () => {};
    const outcome = await engine.build(job, { signal, onLine: quiet, onStep: quiet, onWarning: quiet });
    if (outcome.ok) probes.set(result.job.key, { stage: probe.stage, tag });
  }
  if (probes.size === 0) return [...results];
  const images = await engine.inspect([...probes.values()].map((p) => p.tag));
  await engine.untag([...probes.values()].map((p) => p.tag));
  return results.map((result) => {
    const probe = probes.get(result.job.key);
    const image = probe === undefined ? undefined : images.get(probe.tag);
    if (probe === undefined || image === undefined) return result;
    return { ...result, builderStage: { name: probe.stage, sizeBytes: image.sizeBytes } };
  });
}

function safeTagPart(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_.-]/g, "-");
}
