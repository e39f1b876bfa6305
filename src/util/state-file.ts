import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type * as z from "zod";
import { stateDir } from "./state-dir.js";
import { writeJsonAtomic } from "./write-json-atomic.js";

/**
 * One file of the state folder, read and validated against its schema: missing, unreadable, corrupt or of an
 * older shape all read as `undefined`, so a caller simply works the answer out again.
 */
export async function readStateFile<T>(
  name: string,
  schema: z.ZodType<T>,
  env?: Record<string, string | undefined>,
): Promise<T | undefined> {
  const dir = stateDir(env);
  if (dir === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(dir, name), "utf8"));
  } catch {
    return undefined;
  }
  // Parsed once per run: zod's compiled fast path (a `new Function` per object shape) costs more than it saves.
  const parsed = schema.safeParse(json, { jitless: true });
  return parsed.success ? parsed.data : undefined;
}

/** Replace one file of the state folder atomically; a folder that cannot be written only costs the next run time. */
export async function writeStateFile(
  name: string,
  data: unknown,
  env?: Record<string, string | undefined>,
): Promise<void> {
  const dir = stateDir(env);
  if (dir === undefined) return;
  await writeJsonAtomic(path.join(dir, name), data, 0).catch(() => {});
}

/**
 * The name of a state file kept per project (by its folder), so that a run reads only what its own project
 * left, however many projects share the state folder.
 */
export function projectStateFile(projectDir: string, name: string): string {
  return path.join("projects", createHash("sha256").update(projectDir).digest("hex").slice(0, 16), name);
}
