import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { defaultLoaders } from "cosmiconfig";

/** A config file dockbuild found: its path and what its loader gave (undefined: empty, or no dockbuild key). */
export interface FoundConfig {
  filepath: string;
  config: unknown;
}

/** Turns a file's text into a value; throws on a syntax error. */
export type ConfigLoader = (filepath: string, content: string) => unknown;

/** A config file larger than this is not a config file (`-c /dev/zero` must not be read to the end). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Search like cosmiconfig's "project" strategy: each search place in `start`, then in each parent folder, up to
 * the first folder that holds a package.json; the first file with content wins (package.json only with a
 * `prop` key). cosmiconfig's explorer is not used because it first reads its own settings from package.json
 * and .config/ in the working folder, and stops on any of them that cannot be parsed, with no way to turn it
 * off; its loaders for JavaScript and TypeScript files are used as they are.
 */
export async function searchConfig(
  start: string,
  places: readonly string[],
  loaders: { json: ConfigLoader; yaml: ConfigLoader },
  prop: string,
): Promise<FoundConfig | undefined> {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    for (const place of places) {
      const filepath = path.join(dir, place);
      if (!(await isRegularFile(filepath))) continue;
      const found = await loadConfigFile(filepath, loaders, prop);
      if (found.config !== undefined) return found;
    }
    if ((await isRegularFile(path.join(dir, "package.json"))) || path.dirname(dir) === dir) return undefined;
  }
}

/** Read and parse one config file; `config` is undefined for an empty file or a package.json without `prop`. */
export async function loadConfigFile(
  filepath: string,
  loaders: { json: ConfigLoader; yaml: ConfigLoader },
  prop: string,
): Promise<FoundConfig> {
  const content = (await readFile(filepath, "utf8")).replace(/^\uFEFF/, "");
  if (content.trim() === "") return { filepath, config: undefined };
  const extension = path.extname(filepath);
  const base = path.basename(filepath);
  let value: unknown;
  try {
    if (extension === ".json") value = loaders.json(filepath, content);
    else if (extension === ".yaml" || extension === ".yml" || extension === "")
      value = loaders.yaml(filepath, content);
    else {
      const load = (defaultLoaders as Record<string, (file: string, text: string) => unknown>)[extension];
      if (!load) throw new Error(`no loader for ${extension} files`);
      value = await load(filepath, content);
    }
  } catch (error) {
    // say which file failed, as cosmiconfig does
    if (error !== null && typeof error === "object") (error as { filepath?: string }).filepath ??= filepath;
    throw error;
  }
  if (base === "package.json" || base === "package.yaml") {
    const own =
      value !== null && typeof value === "object" ? (value as Record<string, unknown>)[prop] : undefined;
    return { filepath, config: own ?? undefined };
  }
  return { filepath, config: value ?? undefined };
}

/** Only regular files are read: a FIFO would block and a device would never end. */
async function isRegularFile(file: string): Promise<boolean> {
  const stats = await stat(file).catch(() => undefined);
  return stats !== undefined && stats.isFile() && stats.size <= MAX_CONFIG_BYTES;
}
