import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseGitIndex, type IndexEntry } from "./git-index-file.js";
import type { GitIndexEntries } from "./git-index.js";

/**
 * Up to this many tracked files under the folders asked about, reading the index here and comparing each file
 * with its entry is faster than starting git three times; above it, git compares them faster than Node can.
 */
export const IN_PROCESS_LIMIT = 2_000;

/**
 * git's index for the work tree at `root`, read without running git, keeping the entries under `scope` (all
 * when undefined). `undefined` when git must be asked instead: no index, an index this reader does not
 * understand (split, corrupt, a SHA-256 repository), or more entries than `IN_PROCESS_LIMIT`.
 */
export async function readIndexFile(
  root: string,
  scope: readonly string[] | undefined,
  limit = IN_PROCESS_LIMIT,
): Promise<GitIndexEntries | undefined> {
  const gitDir = await findGitDir(root);
  if (gitDir === undefined) return undefined;
  const commonDir = await readPointer(path.join(gitDir, "commondir"), gitDir);
  const config = await readFile(path.join(commonDir ?? gitDir, "config"), "utf8").catch(() => "");
  if (/^\s*objectformat\s*=\s*sha256\s*$/im.test(config)) return undefined;
  const file = path.join(gitDir, "index");
  // the index's time before its content: an index rewritten in between then only makes more entries racy
  const written = await stat(file).catch(() => undefined);
  const data = written === undefined ? undefined : await readFile(file).catch(() => undefined);
  if (written === undefined || data === undefined) return undefined;
  const parsed = parseGitIndex(data);
  if (typeof parsed === "string") return undefined;
  const inScope = (p: string) => scope === undefined || scope.some((dir) => p.startsWith(`${dir}/`));
  const entries = new Map<string, IndexEntry>();
  for (const entry of parsed) {
    if (!inScope(entry.path)) continue;
    entries.set(entry.path, entry);
    if (entries.size > limit) return undefined;
  }
  return {
    kind: "index",
    root,
    entries,
    indexMtimeSeconds: Math.floor(written.mtimeMs / 1000),
    ...(scope !== undefined ? { scope: [...scope] } : {}),
  };
}

/** The repository folder of a work tree: `.git` itself, or where a `.git` file (worktree, submodule) points. */
async function findGitDir(root: string): Promise<string | undefined> {
  const dotGit = path.join(root, ".git");
  const info = await stat(dotGit).catch(() => undefined);
  if (info === undefined) return undefined;
  if (info.isDirectory()) return dotGit;
  const text = await readFile(dotGit, "utf8").catch(() => "");
  const pointed = /^gitdir:\s*(.+?)\s*$/m.exec(text)?.[1];
  return pointed === undefined ? undefined : path.resolve(root, pointed);
}

/** A worktree's `commondir` file: the shared repository folder, relative to `from`. */
async function readPointer(file: string, from: string): Promise<string | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  return text === undefined || text.trim() === "" ? undefined : path.resolve(from, text.trim());
}
