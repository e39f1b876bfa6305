import { stat } from "node:fs/promises";
import path from "node:path";
import type { Problem, SourceLocation } from "../errors.js";

/**
 * The config's `files:` (compose files to use when `-f` is not given), each resolved from the config's folder:
 * every one must be a regular file, or the compose loader would wait on a pipe or read `/dev/zero` forever.
 * Each problem points at its entry in the config file.
 */
export async function checkConfigFiles(
  files: readonly string[],
  configDir: string,
  locate: (index: number) => Promise<SourceLocation>,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const [index, file] of files.entries()) {
    const absolute = path.resolve(configDir, file);
    const stats = await stat(absolute).catch(() => undefined);
    const reason = !stats ? "does not exist" : stats.isFile() ? undefined : "is not a regular file";
    if (reason === undefined) continue;
    problems.push({
      location: await locate(index),
      message: `files[${index}]: compose file ${absolute} ${reason}`,
      hint: "list compose files, relative to the config file's folder",
    });
  }
  return problems;
}
