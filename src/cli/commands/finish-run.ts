import { appendFile } from "node:fs/promises";
import { DockbuildError } from "../../errors.js";
import type { JobResult, Reporter } from "../../run/types.js";
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
  },
): Promise<void> {
  const refs = results
    .filter((r) => r.status === "built" || r.status === "up-to-date")
    .map((r) => r.job.tags[0]);
  const images =
    refs.length > 0
      ? await options.engine.inspect(refs.filter((r): r is string => !!r)).catch(() => new Map())
      : new Map();
  for (const result of results) {
    const image = images.get(result.job.tags[0] ?? "");
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
