import { createHash } from "node:crypto";

// git's index file ("DIRC", versions 2 to 4): https://git-scm.com/docs/index-format (git 2.39)

/** One file of git's index, with the file-system facts git recorded when it last saw the file. */
export interface IndexEntry {
  path: string;
  /** e.g. 0o100644, 0o100755, 0o120000 (a symlink), 0o160000 (a submodule) */
  mode: number;
  /** The blob id, hex. */
  id: string;
  /** Seconds and nanoseconds, as git stored them (32 bits each; nanoseconds 0 where git keeps none). */
  ctime: [number, number];
  mtime: [number, number];
  /** The low 32 bits of the inode number and of the size. */
  ino: number;
  size: number;
  /** git must not trust the work tree for it: assume-valid, skip-worktree, intent-to-add, or a merge stage. */
  untrusted: boolean;
}

/** Why an index cannot be read here; the caller then asks git itself. */
export type IndexProblem =
  /** not an index git writes, or cut short */
  | "malformed"
  /** the trailing checksum does not match */
  | "checksum"
  /** a split index: most entries live in another file */
  | "split";

const HEADER = 12;
const HASH = 20;

/**
 * Read an index file's entries. Only what a SHA-1 repository writes is understood (the caller checks the
 * object format); everything else is a problem, never a guess.
 */
export function parseGitIndex(data: Buffer): IndexEntry[] | IndexProblem {
  if (data.length < HEADER + HASH || data.toString("latin1", 0, 4) !== "DIRC") return "malformed";
  const version = data.readUInt32BE(4);
  if (version < 2 || version > 4) return "malformed";
  const trailer = data.subarray(data.length - HASH);
  // index.skipHash writes zeros instead of the checksum
  if (trailer.some((b) => b !== 0)) {
    const actual = createHash("sha1")
      .update(data.subarray(0, data.length - HASH))
      .digest();
    if (!actual.equals(trailer)) return "checksum";
  }
  const count = data.readUInt32BE(8);
  const end = data.length - HASH;
  const entries: IndexEntry[] = [];
  let offset = HEADER;
  let previous = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const start = offset;
    if (offset + 62 > end) return "malformed";
    const flags = data.readUInt16BE(offset + 60);
    offset += 62;
    let extended = 0;
    if (flags & 0x4000) {
      if (version < 3 || offset + 2 > end) return "malformed";
      extended = data.readUInt16BE(offset);
      offset += 2;
    }
    let path: string;
    if (version === 4) {
      // the number of bytes to drop from the previous path, then the rest of this one
      const [drop, read] = readVarint(data, offset, end);
      if (read === 0 || drop > previous.length) return "malformed";
      offset += read;
      const nul = data.indexOf(0, offset);
      if (nul < 0 || nul >= end) return "malformed";
      previous = Buffer.concat([previous.subarray(0, previous.length - drop), data.subarray(offset, nul)]);
      path = previous.toString("utf8");
      offset = nul + 1;
    } else {
      const nul = data.indexOf(0, offset);
      if (nul < 0 || nul >= end) return "malformed";
      path = data.toString("utf8", offset, nul);
      // padded with NULs to a multiple of 8 bytes from the entry's start, at least one
      offset = start + Math.ceil((nul + 1 - start) / 8) * 8;
    }
    entries.push({
      path,
      mode: data.readUInt32BE(start + 24),
      id: data.toString("hex", start + 40, start + 60),
      ctime: [data.readUInt32BE(start), data.readUInt32BE(start + 4)],
      mtime: [data.readUInt32BE(start + 8), data.readUInt32BE(start + 12)],
      ino: data.readUInt32BE(start + 20),
      size: data.readUInt32BE(start + 36),
      untrusted: (flags & 0x8000) !== 0 || (flags & 0x3000) !== 0 || (extended & 0x6000) !== 0,
    });
  }
  if (offset > end) return "malformed";
  // extensions: a 4-byte signature and a 4-byte size each
  while (offset + 8 <= end) {
    const signature = data.toString("latin1", offset, offset + 4);
    if (signature === "link") return "split";
    offset += 8 + data.readUInt32BE(offset + 4);
  }
  return entries;
}

/** git's variable-length offset (varint.c): the value and how many bytes it took (0: none readable). */
function readVarint(data: Buffer, offset: number, end: number): [number, number] {
  let at = offset;
  if (at >= end) return [0, 0];
  let byte = data[at++] as number;
  let value = byte & 0x7f;
  while (byte & 0x80) {
    if (at >= end) return [0, 0];
    byte = data[at++] as number;
    value = ((value + 1) << 7) | (byte & 0x7f);
  }
  return [value, at - offset];
}

/** What the file system says of a file now, as `lstat` with bigint times gives it. */
export interface FileStat {
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  size: bigint;
  symlink: boolean;
}

const NS = 1_000_000_000n;
const LOW32 = 0xffffffffn;

/**
 * Whether git's recorded blob id still describes the file: its recorded times, inode, size and kind all match
 * what `lstat` says now (as `git status` decides), and it was not changed within the second the index was
 * written ("racily clean": git itself would read such a file again). Anything else is read from disk.
 */
export function isUnchanged(entry: IndexEntry, stat: FileStat, indexMtimeSeconds: number): boolean {
  if (entry.untrusted) return false;
  const kind = entry.mode & 0o170000;
  if (kind !== 0o100000 && kind !== 0o120000) return false;
  if ((kind === 0o120000) !== stat.symlink) return false;
  if (entry.mtime[0] >= indexMtimeSeconds) return false;
  return (
    sameTime(entry.mtime, stat.mtimeNs) &&
    sameTime(entry.ctime, stat.ctimeNs) &&
    entry.ino === Number(stat.ino & LOW32) &&
    entry.size === Number(stat.size & LOW32)
  );
}

/** Seconds always; nanoseconds where git recorded them (builds without USE_NSEC store 0). */
function sameTime([seconds, nanos]: [number, number], ns: bigint): boolean {
  if (seconds !== Number((ns / NS) & LOW32)) return false;
  return nanos === 0 || nanos === Number(ns % NS);
}
