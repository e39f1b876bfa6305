import { lstat, readFile, readdir } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import { writeJsonAtomic } from "../util/write-json-atomic.js";

/** The file in an export directory that says which folder holds which mount. */
export const MANIFEST_FILE = "dockbuild-cache-mounts.json";

const entrySchema = z.object({
  id: z.string(),
  target: z.string(),
  sharing: z.enum(["shared", "private", "locked"]),
  folder: z.string(),
  services: z.array(z.string()),
  /** Files (everything but folders) in the mount when it was exported. */
  files: z.number().int().nonnegative(),
  /** Bytes of the regular files among them. */
  bytes: z.number().int().nonnegative(),
});

const manifestSchema = z.object({
  version: z.literal(1),
  exportedAt: z.string(),
  mounts: z.array(entrySchema),
});

export type ManifestEntry = z.infer<typeof entrySchema>;
export type CacheMountManifest = z.infer<typeof manifestSchema>;

/** Read a manifest's text; a file that is not one is an error the caller reports (it is never cast). */
export function parseManifest(
  text: string,
): { ok: true; manifest: CacheMountManifest } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}` };
  }
  return { ok: true, manifest: parsed.data };
}

/**
 * The manifest after an export: the mounts just exported, then the earlier entries of other mounts whose
 * folders are still there (exporting some services keeps what an export of others left).
 */
export function mergeManifest(
  previous: CacheMountManifest | undefined,
  exported: readonly ManifestEntry[],
  folderExists: (folder: string) => boolean,
  exportedAt: string,
): CacheMountManifest {
  const ids = new Set(exported.map((e) => e.id));
  const kept = (previous?.mounts ?? []).filter((e) => !ids.has(e.id) && folderExists(e.folder));
  return { version: 1, exportedAt, mounts: [...exported, ...kept] };
}

/** The manifest of an export directory; undefined when there is none, an error when it cannot be read. */
export async function readManifest(dir: string): Promise<{ manifest?: CacheMountManifest; error?: string }> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    return { error: `${file}: ${(error as Error).message}` };
  }
  const parsed = parseManifest(text);
  return parsed.ok ? { manifest: parsed.manifest } : { error: `${file}: ${parsed.error}` };
}

/** Written to a temporary file and renamed over the old one: a reader never sees half a manifest. */
export async function writeManifest(dir: string, manifest: CacheMountManifest): Promise<void> {
  await writeJsonAtomic(path.join(dir, MANIFEST_FILE), manifest);
}

/** Files (anything but a folder) under `dir` and the bytes of the regular ones; symbolic links are not followed. */
export async function countFiles(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        files++;
        if (entry.isFile()) bytes += (await lstat(full)).size;
      }
    }
  };
  await walk(dir);
  return { files, bytes };
}
