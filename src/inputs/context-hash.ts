import { createHash } from "node:crypto";
import { realpath } from "node:fs/promises";
import path from "node:path";
import type { BlobIdCache } from "./blob-cache.js";
import { fileBlobId, linkBlobId } from "./blob-id.js";
import { createContextFilter } from "./context-filter.js";
import { comparePaths, readDockerignore, walkContext, type ContextFile } from "./context-files.js";
import { isUnchanged } from "./git-index-file.js";
import { prefixUnder, recordsUnder, type GitIndex } from "./git-index.js";
import { mapLimit } from "../util/map-limit.js";

/** One file's part of a context hash. */
export interface ContextEntry {
  path: string;
  type: ContextFile["type"];
  executable: boolean;
  /** Git's blob id of the content (of the link text for a symlink). */
  id: string;
}

export interface HashContextOptions {
  /** The Dockerfile, whose `<Dockerfile>.dockerignore` takes precedence over the context's. */
  dockerfile?: string;
  /** The work tree that holds the context, from `loadGitIndex`; without it every file is read. */
  git?: GitIndex;
}

/** Bumped whenever what goes into a context hash changes, so that old labels never match. */
const CONTEXT_FORMAT = "dockbuild-context-v1";
const HASH_CONCURRENCY = 16;

/** The content hash of everything the engine receives as this build context, after its .dockerignore. */
export async function hashContext(context: string, options: HashContextOptions = {}): Promise<string> {
  const patterns = await readDockerignore(context, options.dockerfile);
  return hashContextFiles(context, patterns, options.git);
}

/** The same hash with the patterns already read, so that a caller can share one hash between several jobs. */
export async function hashContextFiles(
  context: string,
  patterns: readonly string[] | undefined,
  git?: GitIndex,
  blobs?: BlobIdCache,
): Promise<string> {
  return digestEntries(await contextEntries(context, patterns, git, blobs));
}

/** Every file of the context with its blob id, sorted: from git's index where it can be trusted, else from disk. */
export async function contextEntries(
  context: string,
  patterns: readonly string[] | undefined,
  git?: GitIndex,
  /** Ids of files read in earlier runs: a file whose stat data are unchanged is not read again. */
  blobs?: BlobIdCache,
): Promise<ContextEntry[]> {
  const hashFile = (file: ContextFile) => readEntry(file, blobs);
  const root = await realpath(path.resolve(context));
  const filter = createContextFilter(patterns);
  const prefix = git ? prefixUnder(git, root) : undefined;
  if (git?.kind === "index" && prefix !== undefined) {
    // every file the engine receives, each compared with its index entry (git status's test)
    const files = await walkContext(root, filter, "");
    const known = (file: ContextFile) => {
      const entry = git.entries.get(prefix + file.path);
      return entry && isUnchanged(entry, file.stat, git.indexMtimeSeconds) ? entry.id : undefined;
    };
    const hashed = await mapLimit(files, HASH_CONCURRENCY, async (file) => {
      const id = known(file);
      return id === undefined
        ? hashFile(file)
        : { path: file.path, type: file.type, executable: file.executable, id };
    });
    return hashed.sort(comparePaths);
  }
  const records = git?.kind === "listing" ? recordsUnder(git, root) : undefined;
  if (!records) {
    const files = await walkContext(root, filter, "");
    return (await mapLimit(files, HASH_CONCURRENCY, hashFile)).sort(comparePaths);
  }
  const entries = new Map<string, ContextEntry>();
  const fromDisk: string[] = [];
  for (const record of records) {
    if (record.kind === "walk") fromDisk.push(record.path);
    else if (!filter.includes(record.path)) continue;
    else if (record.kind === "worktree") fromDisk.push(record.path);
    else
      entries.set(record.path, {
        path: record.path,
        type: record.mode === "120000" ? "symlink" : "file",
        executable: record.mode === "100755",
        id: record.id,
      });
  }
  const walked = await mapLimit(fromDisk, HASH_CONCURRENCY, (start) => walkContext(root, filter, start));
  const hashed = await mapLimit(walked.flat(), HASH_CONCURRENCY, hashFile);
  for (const entry of hashed) entries.set(entry.path, entry);
  return [...entries.values()].sort(comparePaths);
}

/** The hash of a sorted entry list; NUL separates fields because no path can hold one. */
export function digestEntries(entries: readonly ContextEntry[]): string {
  const hash = createHash("sha256").update(`${CONTEXT_FORMAT}\0`);
  for (const entry of entries) {
    hash.update(`${entry.path}\0${entry.type}\0${entry.executable ? "x" : "-"}\0${entry.id}\0`);
  }
  return hash.digest("hex");
}

async function readEntry(file: ContextFile, blobs: BlobIdCache | undefined): Promise<ContextEntry> {
  const entry = (id: string) => ({ path: file.path, type: file.type, executable: file.executable, id });
  const known = blobs?.lookup(file);
  if (known !== undefined) return entry(known);
  const started = Date.now();
  const id =
    file.type === "symlink" ? await linkBlobId(file.absolutePath) : await fileBlobId(file.absolutePath);
  blobs?.record(file, id, started);
  return entry(id);
}
