import { lstatSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createContextFilter, type ContextFilter } from "./context-filter.js";
import type { FileStat } from "./git-index-file.js";

/** What a context file is as the engine receives it. Folders are not listed; other kinds are not sent by git either. */
export type ContextFileType =
  /** a regular file: its content counts */
  | "file"
  /** a symbolic link, sent as a link: its text counts, never what it points to */
  | "symlink";

/** One file the engine receives with the build context. */
export interface ContextFile {
  /** Relative to the context, `/`-separated. */
  path: string;
  absolutePath: string;
  type: ContextFileType;
  /** The owner's execute bit, the only mode bit git records. */
  executable: boolean;
  /** What lstat said, to compare with git's index. */
  stat: FileStat;
}

/**
 * The patterns the engine applies to a context: BuildKit reads `<Dockerfile>.dockerignore` beside the
 * Dockerfile first, else `<context>/.dockerignore`. `undefined` when there is neither.
 */
export async function readDockerignore(context: string, dockerfile?: string): Promise<string[] | undefined> {
  const candidates = [
    ...(dockerfile ? [`${dockerfile}.dockerignore`] : []),
    path.join(context, ".dockerignore"),
  ];
  for (const file of candidates) {
    const patterns = await readDockerignoreFile(file);
    if (patterns !== undefined) return patterns;
  }
  return undefined;
}

/** The patterns of one ignore file, `undefined` when it does not exist. */
export async function readDockerignoreFile(file: string): Promise<string[] | undefined> {
  const text = await readIfExists(file);
  return text === undefined ? undefined : parseDockerignore(text);
}

/** The pattern lines of a .dockerignore, like BuildKit's reader: BOM, blank lines and `#` comments dropped. */
export function parseDockerignore(text: string): string[] {
  return text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/**
 * Every file the engine would receive from `context` with these patterns, sorted by path — files git ignores
 * included, since Docker does not read .gitignore.
 */
export async function listContextFiles(
  context: string,
  patterns: readonly string[] | undefined,
): Promise<ContextFile[]> {
  const files = await walkContext(path.resolve(context), createContextFilter(patterns), "");
  return files.sort(comparePaths);
}

/**
 * Walk `context` from `start` (a relative path: a folder, a file, or "" for the whole context). Entries are
 * looked at with synchronous calls: an asynchronous lstat costs a round trip through Node's thread pool, and
 * those round trips were most of the time a 40-service no-op spent reading its contexts.
 */
export async function walkContext(
  context: string,
  filter: ContextFilter,
  start: string,
): Promise<ContextFile[]> {
  const found: ContextFile[] = [];
  const visit = (relative: string): string[] => {
    const absolute = relative ? path.join(context, relative) : context;
    let stats;
    try {
      stats = lstatSync(absolute, { bigint: true, throwIfNoEntry: false });
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    if (stats === undefined) return [];
    if (stats.isDirectory()) {
      if (relative && filter.canSkipDir(relative)) return [];
      const names = readdirSync(absolute);
      return names.map((name) => (relative ? `${relative}/${name}` : name));
    }
    if (!relative || !filter.includes(relative)) return [];
    if (stats.isFile() || stats.isSymbolicLink()) {
      const symlink = stats.isSymbolicLink();
      found.push({
        path: relative,
        absolutePath: absolute,
        type: symlink ? "symlink" : "file",
        executable: !symlink && (stats.mode & 0o100n) !== 0n,
        stat: { mtimeNs: stats.mtimeNs, ctimeNs: stats.ctimeNs, ino: stats.ino, size: stats.size, symlink },
      });
    }
    return [];
  };
  let level = [start];
  while (level.length > 0) {
    level = level.flatMap(visit);
    // between levels the event loop turns: an interrupt, the engine's answers
    await yieldToEventLoop();
  }
  return found;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One order for context paths everywhere, so that a git listing and a walk hash the same sequence. */
export function comparePaths(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

async function readIfExists(file: string): Promise<string | undefined> {
  // Most contexts have no ignore file: a stat that answers `undefined` costs less than a failed read's error.
  if (statSync(file, { throwIfNoEntry: false }) === undefined) return undefined;
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Whether a file-system error says the path is not there (any more). */
export function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "ENOTDIR");
}
