import { statSync } from "node:fs";
import path from "node:path";
import { runCommand, type ExecResult } from "../exec/index.js";

let spawned = 0;

/** Variables that would point git at another repository or index than the one in `cwd`. */
const GIT_LOCATION_ENV = {
  GIT_DIR: undefined,
  GIT_WORK_TREE: undefined,
  GIT_INDEX_FILE: undefined,
  GIT_OBJECT_DIRECTORY: undefined,
  GIT_COMMON_DIR: undefined,
  GIT_PREFIX: undefined,
};

/** Every git call of this module goes through here, so that the number of spawns can be counted in tests. */
export async function runGit(cwd: string, args: readonly string[]): Promise<ExecResult> {
  spawned += 1;
  return runCommand("git", args, { cwd, env: { ...GIT_LOCATION_ENV, GIT_OPTIONAL_LOCKS: "0" } });
}

/** How many times git was spawned by this process; tests assert it stays constant per repository. */
export function gitSpawnCount(): number {
  return spawned;
}

/** Split git's `-z` output into its NUL-terminated records. */
export function splitNul(text: string): string[] {
  const parts = text.split("\0");
  if (parts.at(-1) === "") parts.pop();
  return parts;
}

/** Whether `file` exists; an entry that cannot be looked at (a folder without search permission) does not. */
function hasEntry(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/**
 * The work tree root that holds `dir`: the nearest folder upwards with a `.git` entry (a folder, or a file for
 * worktrees and submodules). Found without spawning git, so that it costs nothing per build context.
 */
export function findGitRoot(dir: string): string | undefined {
  // A stat that answers `undefined` for a missing entry: a failed access() throws an error with a stack, and
  // asking from every context's folder up to / makes a hundred of them at 40 services (10 ms).
  let current = path.resolve(dir);
  while (!hasEntry(path.join(current, ".git"))) {
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return current;
}
