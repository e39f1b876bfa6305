import type { SourceLocation } from "../errors.js";
import type { DockerfileAnalysis } from "./types.js";

/**
 * The analysis of the same text and build args read as another file: only the file its locations name
 * changes, so a text copied into a thousand folders is analyzed once. Everything but the locations (bases,
 * args, names) is shared with `analysis`, not copied.
 */
export function analysisAsFile(analysis: DockerfileAnalysis, file: string): DockerfileAnalysis {
  if (analysis.file === file) return analysis;
  const at = <T extends { location: SourceLocation }>(item: T): T => ({
    ...item,
    location: { ...item.location, file },
  });
  // an empty list names no file either: shared (most stages copy from nothing and mount nothing)
  const each = <T extends { location: SourceLocation }>(items: T[]): T[] =>
    items.length === 0 ? items : items.map(at);
  return {
    ...analysis,
    file,
    stages: analysis.stages.map((stage) => ({
      ...at(stage),
      sources: each(stage.sources),
      cacheMounts: each(stage.cacheMounts),
    })),
    warnings: each(analysis.warnings),
    errors: each(analysis.errors),
  };
}
