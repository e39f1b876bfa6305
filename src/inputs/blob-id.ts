import { createHash } from "node:crypto";
import { open, readlink } from "node:fs/promises";

/** Files up to this size are read in one go; larger ones are streamed through the hash. */
const WHOLE_FILE_LIMIT = 1 << 20;
const CHUNK = 1 << 20;

/**
 * Git's blob id (SHA-1 of `blob <size>\0<content>`), so that a file hashed from disk gets the very id git's
 * index holds for the same content, and both ways of hashing a context agree.
 */
export function gitBlobId(content: Buffer | string): string {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The blob id of a regular file's content, streamed so that a large file is never held in memory. */
export async function fileBlobId(file: string): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const handle = await open(file, "r");
    try {
      const { size } = await handle.stat();
      if (size <= WHOLE_FILE_LIMIT) return gitBlobId(await handle.readFile());
      const hash = createHash("sha1").update(`blob ${size}\0`);
      const buffer = Buffer.allocUnsafe(CHUNK);
      let total = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, CHUNK, total);
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
        total += bytesRead;
      }
      // The file changed size while it was read: its header would be wrong, so read it again.
      if (total === size) return hash.digest("hex");
    } finally {
      await handle.close();
    }
  }
  throw new Error(`${file} keeps changing while it is read`);
}

/** The blob id of a symlink: git stores the link text as the blob, and so do we. */
export async function linkBlobId(file: string): Promise<string> {
  return gitBlobId(await readlink(file, { encoding: "buffer" }));
}
