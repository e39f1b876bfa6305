import { constants } from "node:fs";
import { open } from "node:fs/promises";

/** Why an input file could not be read. */
export type ReadFailure =
  /** nothing at that path (ENOENT, or a parent that is not a folder) */
  | "not-found"
  /** the file or a folder on its path may not be read (EACCES, EPERM) */
  | "permission-denied"
  /** a symbolic link that points back to itself (ELOOP) */
  | "symlink-loop"
  /** a folder, not a file */
  | "folder"
  /** a FIFO, a device or a socket: reading it could block or never end */
  | "not-regular"
  /** larger than the limit given */
  | "too-large"
  /** any other error of the file system */
  | "other";

export type ReadResult = { text: string } | { failure: ReadFailure; reason: string };

/**
 * Reads a file a user named (a compose file, an env file, an include) without trusting it: regular files
 * only (a FIFO or `/dev/zero` is refused before a byte is read, and opening never blocks), at most
 * `maxBytes`, and every error turned into a few words instead of a stack trace.
 */
export async function readInputFile(file: string, maxBytes: number): Promise<ReadResult> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return failed(errorFailure(error), error);
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) return { failure: "folder", reason: "is a folder" };
    if (!stats.isFile())
      return { failure: "not-regular", reason: `is not a regular file (${kindOf(stats)})` };
    if (stats.size > maxBytes) return tooLarge(maxBytes);
    // The size a file reports can be wrong (/proc) or change: read at most one byte past the limit.
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stats.size + 1, 64 * 1024)));
    let length = 0;
    let chunk = buffer;
    for (;;) {
      if (length === chunk.length) {
        if (chunk.length > maxBytes) return tooLarge(maxBytes);
        const bigger = Buffer.alloc(Math.min(maxBytes + 1, chunk.length * 2));
        chunk.copy(bigger, 0, 0, length);
        chunk = bigger;
      }
      const { bytesRead } = await handle.read(chunk, length, chunk.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return tooLarge(maxBytes);
    return { text: chunk.toString("utf8", 0, length) };
  } catch (error) {
    return failed(errorFailure(error), error);
  } finally {
    await handle.close();
  }
}

/** The words for a failure, as they follow a file name: "… cannot be read (permission denied)". */
export function describeFailure(failure: ReadFailure): string {
  switch (failure) {
    case "not-found":
      return "not found";
    case "permission-denied":
      return "cannot be read (permission denied)";
    case "symlink-loop":
      return "cannot be read (a symbolic link that loops back on itself)";
    case "folder":
      return "is a folder";
    case "not-regular":
      return "is not a regular file";
    case "too-large":
      return "is too large";
    case "other":
      return "cannot be read";
  }
}

/** Maps a file system error code to a failure; used for every path dockbuild looks at. */
export function errorFailure(error: unknown): ReadFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return "not-found";
    case "EACCES":
    case "EPERM":
      return "permission-denied";
    case "ELOOP":
      return "symlink-loop";
    case "EISDIR":
      return "folder";
    default:
      return "other";
  }
}

function failed(failure: ReadFailure, error: unknown): ReadResult {
  const detail = failure === "other" ? ` (${(error as Error).message})` : "";
  return { failure, reason: `${describeFailure(failure)}${detail}` };
}

function tooLarge(maxBytes: number): ReadResult {
  return { failure: "too-large", reason: `is larger than ${formatBytes(maxBytes)}` };
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}

function kindOf(stats: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  return "a socket";
}
