import { access } from "node:fs/promises";
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

/**
 * The work tree root that holds `dir`: the nearest folder upwards with a `.git` entry (a folder, or a file for
 * worktrees and submodules). Found without spawning git, so that it costs nothing per build context.
 */
export async function findGitRoot(dir: string): Promise<string | undefined> {
  let current = path.resolve(dir);
  for (;;) {
    try {
      await access(path.join(current, ".git"));
      return current;
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return undefined;
      current = parent;
    }
  }
}
