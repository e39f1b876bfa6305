import { statSync } from "node:fs";
import path from "node:path";
import type { Problem, SourceLocation } from "../errors.js";
import { describeFailure, errorFailure } from "../util/read-input-file.js";

/** Why a path cannot be read as a config file (or a compose file the config names). */
export interface FileProblem {
  /** `absent`: nothing there; `folder`: a folder; `unusable`: there, but not a regular file of a readable size. */
  kind: "absent" | "folder" | "unusable";
  /** The words that follow the file's name: "does not exist", "is larger than 1 MiB"… */
  reason: string;
}

/**
 * What keeps a path from being read as a file, without opening it (a FIFO would block and `/dev/zero` would
 * never end); undefined for a regular file of at most `maxBytes`.
 */
export async function fileProblem(file: string, maxBytes = Infinity): Promise<FileProblem | undefined> {
  // Synchronous, and without an error for a missing file: the search asks about some twenty names in every
  // folder from the project up to /, nearly all absent, and a failed asynchronous stat costs a round trip
  // through Node's thread pool and an error with its stack (11 ms for a project two folders below /).
  let stats;
  try {
    stats = statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    const failure = errorFailure(error);
    if (failure !== "not-found") return { kind: "unusable", reason: describeFailure(failure) };
  }
  if (stats === undefined) return { kind: "absent", reason: "does not exist" };
  if (stats.isDirectory()) return { kind: "folder", reason: "is not a regular file" };
  if (!stats.isFile()) return { kind: "unusable", reason: "is not a regular file" };
  if (stats.size > maxBytes) {
    return { kind: "unusable", reason: `is ${stats.size} bytes, more than a config file can be` };
  }
  return undefined;
}

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
    const problem = await fileProblem(absolute);
    if (problem === undefined) continue;
    problems.push({
      location: await locate(index),
      message: `files[${index}]: compose file ${absolute} ${problem.reason}`,
      hint: "list compose files, relative to the config file's folder",
    });
  }
  return problems;
}
