import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";

/**
 * Write JSON to a temporary file beside `file`, sync it, then rename it over `file`: never half a file.
 * `indent` 0 writes it on one line (state files nobody reads by eye).
 */
export async function writeJsonAtomic(file: string, data: unknown, indent = 2): Promise<void> {
  const target = path.resolve(file);
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  const text = `${JSON.stringify(data, null, indent)}\n`;
  await mkdir(path.dirname(target), { recursive: true });
  try {
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Why `writeJsonAtomic(file)` would fail, found before any work is done (undefined: it can be written): a
 * folder in the file's place, a file where a folder must be, a place that takes no new file (read-only,
 * permissions). Tried for real, with a file created and removed where the temporary file would go, since
 * permission bits say little to root and nothing of a read-only mount.
 */
export async function findWriteProblem(file: string): Promise<string | undefined> {
  const target = path.resolve(file);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) return `${target} is a folder`;
  // The nearest folder that exists: missing ones below it are made when the file is written.
  let dir = path.dirname(target);
  for (;;) {
    const found = await stat(dir).catch((error: NodeJS.ErrnoException) => error);
    if (found instanceof Error) {
      const code = found.code;
      if ((code === "ENOENT" || code === "ENOTDIR") && path.dirname(dir) !== dir) {
        dir = path.dirname(dir);
        continue;
      }
      return `${dir}: ${describeFsError(found)}`;
    }
    if (!found.isDirectory()) return `${dir} is a file, not a folder`;
    break;
  }
  const probe = path.join(
    dir,
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.probe`,
  );
  try {
    await (await open(probe, "wx")).close();
  } catch (error) {
    return `no file can be created in ${dir}: ${describeFsError(error as NodeJS.ErrnoException)}`;
  }
  await rm(probe, { force: true });
  return undefined;
}

function describeFsError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "EROFS":
      return "read-only file system";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOSPC":
      return "no space left on the device";
    case "ENOENT":
      return "the file system there takes no new files";
    default:
      return error.message;
  }
}
