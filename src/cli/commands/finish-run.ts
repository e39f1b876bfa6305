import { appendFile } from "node:fs/promises";
import { DockbuildError } from "../../errors.js";
import type { JobResult, Reporter } from "../../run/types.js";
import type { ImageDetails } from "../../backends/index.js";
import type { Engine } from "./engine.js";

/** After the builds: sizes from one batched engine query, the summary, the metadata file, the exit status. */
export async function finishRun(
  results: JobResult[],
  options: {
    engine: Engine;
    reporter: Required<Reporter>;
    interrupted: boolean;
    durationMs: number;
    metadataFile?: string;
    quiet: boolean;
    /** Images the up-to-date check already inspected; those left as they were need no second query. */
    knownImages?: ReadonlyMap<string, ImageDetails>;
  },
): Promise<void> {
  const known = options.knownImages ?? new Map<string, ImageDetails>();
  const refs = results
    .filter((r) => r.status === "built" || (r.status === "up-to-date" && !known.has(r.job.tags[0] ?? "")))
    .flatMap((r) => r.job.tags.slice(0, 1));
  const fresh = refs.length > 0 ? await options.engine.inspect(refs).catch(() => new Map()) : new Map();
  for (const result of results) {
    const tag = result.job.tags[0] ?? "";
    const image: ImageDetails | undefined =
      fresh.get(tag) ?? (result.status === "up-to-date" ? known.get(tag) : undefined);
    if (!image) continue;
    result.sizeBytes = image.sizeBytes;
    result.imageId ??= image.id;
  }
  await options.reporter.runFinished(results, {
    interrupted: options.interrupted,
    durationMs: options.durationMs,
  });

  const { formatSummary, formatGithubStepSummary } = await import("../../report/summary.js");
  const info = { durationMs: options.durationMs, interrupted: options.interrupted };
  const summary = formatSummary(results, {
    ...info,
    color: process.stderr.isTTY === true && !process.env.NO_COLOR,
  });
  if (!options.quiet || results.some((r) => r.status === "failed")) process.stderr.write(`\n${summary}\n`);
  if (options.metadataFile) {
    const { buildMetadata, writeMetadataFile } = await import("../../report/metadata.js");
    await writeMetadataFile(options.metadataFile, buildMetadata(results));
  }
  if (process.env.GITHUB_STEP_SUMMARY) {
    await appendFile(process.env.GITHUB_STEP_SUMMARY, `${formatGithubStepSummary(results, info)}\n`);
  }

  if (options.interrupted)
    throw new DockbuildError("INTERRUPTED", "interrupted: running builds were stopped");
  const failed = results.filter((r) => r.status === "failed").flatMap((r) => r.job.services);
  if (failed.length > 0) {
    throw new DockbuildError("BUILD_FAILED", `build failed: ${failed.join(", ")}`);
  }
}
