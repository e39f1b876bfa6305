import * as z from "zod";
import { codeStamp } from "../util/state-dir.js";
import { projectStateFile, readStateFile, writeStateFile } from "../util/state-file.js";
import type { ContextFile } from "./context-files.js";

/**
 * The blob ids of files read in earlier runs, by path and the stat data the file had: a file whose stat data
 * are unchanged is not read again (git's index does the same for tracked files; this covers every file,
 * tracked or not, in a repository or not).
 */
export interface BlobIdCache {
  /** The id recorded for this file, when its stat data are the same as then. */
  lookup(file: ContextFile): string | undefined;
  /** Remember the id of a file whose reading started at `readStartedMs` (wall clock). */
  record(file: ContextFile, id: string, readStartedMs: number): void;
  /** Keep this run's ids (and earlier ones, up to a limit) for the next run. */
  save(): Promise<void>;
}

/** [mtime ns, ctime ns, inode, size, blob id] */
type StatRecord = [string, string, string, string, string];

const FILE = "blob-ids.json";
/** Besides this run's files, as many earlier ones are kept, at least this many. */
const MIN_KEPT = 256;
/**
 * A file changed less than this long before it was read is not recorded: file-system clocks tick coarsely
 * (a few milliseconds, a second on some), so a later change in the same tick could leave its stat data as
 * they were.
 */
const SETTLE_MS = 1_000;

const fileSchema = z.object({
  code: z.string(),
  files: z.record(z.string(), z.tuple([z.string(), z.string(), z.string(), z.string(), z.string()])),
});

const statOf = (file: ContextFile): [string, string, string, string] => [
  String(file.stat.mtimeNs),
  String(file.stat.ctimeNs),
  String(file.stat.ino),
  String(file.stat.size),
];

/**
 * Whether a file read at `readStartedMs` can be recorded: its content had settled (not modified within
 * `SETTLE_MS` before the read), so that any later write gives it another modification time.
 */
export function isSettled(file: ContextFile, readStartedMs: number): boolean {
  return file.stat.mtimeNs < BigInt(Math.floor(readStartedMs - SETTLE_MS)) * 1_000_000n;
}

/**
 * Read the ids recorded for the project in `projectDir` (undefined: keep none); a missing, corrupt or foreign
 * file is an empty cache.
 */
export async function loadBlobIdCache(
  projectDir: string | undefined,
  env?: Record<string, string | undefined>,
): Promise<BlobIdCache> {
  const code = codeStamp();
  const name = projectDir === undefined ? undefined : projectStateFile(projectDir, FILE);
  const stored = name === undefined ? undefined : await readStateFile(name, fileSchema, env);
  const known = new Map<string, StatRecord>(stored?.code === code ? Object.entries(stored.files) : []);
  const seen = new Map<string, StatRecord>();
  let changed = false;
  return {
    lookup(file) {
      const record = known.get(file.absolutePath);
      if (record === undefined) return undefined;
      const now = statOf(file);
      if (!now.every((value, i) => value === record[i])) return undefined;
      seen.set(file.absolutePath, record);
      return record[4];
    },
    record(file, id, readStartedMs) {
      if (!isSettled(file, readStartedMs)) return;
      seen.set(file.absolutePath, [...statOf(file), id]);
      changed = true;
    },
    async save() {
      if (!changed || name === undefined) return;
      const kept = new Map(seen);
      const limit = seen.size + Math.max(MIN_KEPT, seen.size);
      for (const [path, record] of known) {
        if (kept.size >= limit) break;
        if (!kept.has(path)) kept.set(path, record);
      }
      await writeStateFile(name, { code, files: Object.fromEntries(kept) }, env);
    },
  };
}
