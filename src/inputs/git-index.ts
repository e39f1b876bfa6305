import { realpath } from "node:fs/promises";
import path from "node:path";
import { findGitRoot, runGit, splitNul } from "./git.js";
import type { IndexEntry } from "./git-index-file.js";
import { IN_PROCESS_LIMIT, readIndexFile } from "./read-index-file.js";

/** How the content of one path of a work tree is known. */
export type GitRecord =
  /** tracked and unchanged: git's index holds its mode and blob id */
  | { path: string; kind: "index"; mode: string; id: string }
  /** changed, untracked, or not to be trusted from the index: read it from disk */
  | { path: string; kind: "worktree" }
  /** a folder git does not look into (a submodule, a nested repository, `.git`): walk it */
  | { path: string; kind: "walk" };

/** One work tree's files as git knows them, loaded once and shared by every context inside it. */
export type GitIndex = GitListing | GitIndexEntries;

/** What `git ls-files` said: for contexts with many files, where git compares them with its index faster. */
export interface GitListing {
  kind: "listing";
  /** The work tree root (a real path). */
  root: string;
  /** Every path of the work tree (or of `scope`), sorted by `comparePaths`, at most one record per path. */
  records: GitRecord[];
  /** When set, only these folders (relative, `/`-separated) were listed; anything else must be walked. */
  scope?: string[];
}

/** git's index file read without running git: each file of the context is then compared with its entry. */
export interface GitIndexEntries {
  kind: "index";
  root: string;
  /** The entries under `scope`, by path relative to the root. */
  entries: Map<string, IndexEntry>;
  /** When the index file was last written (seconds): an entry changed in that second is not trusted. */
  indexMtimeSeconds: number;
  scope?: string[];
}

/** Work trees loaded in this run, by root: each is loaded once however many contexts it holds. */
export type GitIndexCache = Map<string, Promise<GitIndex | undefined>>;

const MODE_GITLINK = "160000";

/**
 * Load the git view of the work tree that holds `dir`, once for the whole repository, never per context: its
 * index file read here when the folders asked about hold few tracked files (no process at all), else three
 * `git ls-files` calls. `undefined` when `dir` is not in a work tree or git cannot be used: callers then walk.
 */
export async function loadGitIndex(
  dir: string,
  cache?: GitIndexCache,
  /** The folders that will be asked about: git lists only those, not every ignored file of the repository. */
  scope?: readonly string[],
  /** Read the index here when the folders hold at most this many tracked files. */
  inProcessLimit = IN_PROCESS_LIMIT,
): Promise<GitIndex | undefined> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch {
    return undefined;
  }
  const root = findGitRoot(real);
  if (root === undefined) return undefined;
  const known = cache?.get(root);
  if (known) return known;
  // in the cache before any await, so that contexts asking at the same time share one load
  const loading = (async () => {
    const relative = scope === undefined ? undefined : await relativeScope(root, [real, ...scope]);
    return (await readIndexFile(root, relative, inProcessLimit)) ?? readGitIndex(root, relative);
  })();
  cache?.set(root, loading);
  return loading;
}

/** The scope as folders relative to the root; `undefined` (the whole work tree) when one of them is the root. */
async function relativeScope(root: string, dirs: readonly string[]): Promise<string[] | undefined> {
  const relative = new Set<string>();
  for (const dir of dirs) {
    const real = await realpath(dir).catch(() => undefined);
    if (real === undefined) continue;
    const rel = path.relative(root, real);
    if (rel === "") return undefined;
    if (rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) continue;
    relative.add(rel.split(path.sep).join("/"));
  }
  return [...relative].sort();
}

async function readGitIndex(root: string, scope: string[] | undefined): Promise<GitListing | undefined> {
  // Literal pathspecs: git then lists (and walks) only the folders builds read, not every ignored file.
  const pathspecs = scope === undefined ? [] : ["--", ...scope.map((dir) => `:(literal)${dir}`)];
  const [staged, dirty, untracked] = await Promise.all([
    runGit(root, ["ls-files", "-s", "-v", "-z", ...pathspecs]),
    // A forced core.fileMode makes an exec-bit change show even where the repository is set to ignore them.
    runGit(root, ["-c", "core.fileMode=true", "ls-files", "-m", "-d", "-z", ...pathspecs]),
    // No --exclude-standard: Docker does not read .gitignore, so ignored files are sent too.
    runGit(root, ["ls-files", "-o", "-z", ...pathspecs]),
  ]);
  if (staged.failed || dirty.failed || untracked.failed) return undefined;
  const records = parseGitRecords(staged.stdout, dirty.stdout, untracked.stdout);
  if (records === undefined) return undefined;
  return { kind: "listing", root, records, scope };
}

/**
 * Merge the three listings into one record per path: the index's blob id only for a tracked file git says is
 * unchanged and not hidden from it (assume-unchanged, skip-worktree, a merge conflict); everything else from disk.
 * `undefined` for a SHA-256 repository, whose blob ids a plain walk would not reproduce.
 */
export function parseGitRecords(staged: string, dirty: string, untracked: string): GitRecord[] | undefined {
  const byPath = new Map<string, GitRecord>();
  for (const line of splitNul(staged)) {
    // "<tag> <mode> <id> <stage>\t<path>"
    const match = /^(\S) (\d{6}) ([0-9a-f]+) (\d)\t(.*)$/s.exec(line);
    if (!match) return undefined;
    const [, tag = "", mode = "", id = "", stage = "", file = ""] = match;
    if (id.length !== 40) return undefined;
    if (mode === MODE_GITLINK) byPath.set(file, { path: file, kind: "walk" });
    else if (stage !== "0" || tag !== "H") byPath.set(file, { path: file, kind: "worktree" });
    else byPath.set(file, { path: file, kind: "index", mode, id });
  }
  for (const file of splitNul(dirty)) {
    if (byPath.get(file)?.kind !== "walk") byPath.set(file, { path: file, kind: "worktree" });
  }
  for (const entry of splitNul(untracked)) {
    if (entry.endsWith("/")) {
      const dir = entry.slice(0, -1);
      byPath.set(dir, { path: dir, kind: "walk" });
    } else byPath.set(entry, { path: entry, kind: "worktree" });
  }
  byPath.set(".git", { path: ".git", kind: "walk" });
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The path prefix of `dir` (a real path) inside the work tree, `""` for the root; `undefined` when git said
 * nothing about it (outside the work tree, or outside the folders listed): the caller then walks and reads.
 */
export function prefixUnder(index: GitIndex, dir: string): string | undefined {
  const relative = path.relative(index.root, dir);
  if (relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative))
    return undefined;
  const slashed = relative.split(path.sep).join("/");
  if (index.scope && !index.scope.some((dir) => slashed === dir || slashed.startsWith(`${dir}/`)))
    return undefined;
  return relative === "" ? "" : `${slashed}/`;
}

/** The records under `dir` (a real path inside the work tree), with paths made relative to `dir`. */
export function recordsUnder(index: GitListing, dir: string): GitRecord[] | undefined {
  const prefix = prefixUnder(index, dir);
  if (prefix === undefined) return undefined;
  const { records } = index;
  let low = 0;
  let high = records.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((records[mid] as GitRecord).path < prefix) low = mid + 1;
    else high = mid;
  }
  const found: GitRecord[] = [];
  for (let i = low; i < records.length; i++) {
    const record = records[i] as GitRecord;
    if (!record.path.startsWith(prefix)) break;
    found.push({ ...record, path: record.path.slice(prefix.length) });
  }
  return found;
}
