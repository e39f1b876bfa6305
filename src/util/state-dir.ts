import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder where dockbuild keeps what it can work out again (engine detection, parsed Dockerfiles):
 * `DOCKBUILD_STATE_DIR` when set (empty: keep nothing), else `node_modules/.cache/dockbuild` beside dockbuild's
 * own package.json, where its compile cache already lives. Deleting it is always safe.
 */
export function stateDir(env: Record<string, string | undefined> = process.env): string | undefined {
  const chosen = env.DOCKBUILD_STATE_DIR;
  if (chosen !== undefined) return chosen === "" ? undefined : path.resolve(chosen);
  packageRoot ??= findPackageRoot(path.dirname(fileURLToPath(import.meta.url))) ?? null;
  return packageRoot === null ? undefined : path.join(packageRoot, "node_modules", ".cache", "dockbuild");
}

let packageRoot: string | null | undefined;
let stamp: string | undefined;

/**
 * Which build of dockbuild is running: the size and time of the file this code was loaded from (a bundle file
 * of dist/, rewritten by every build and install). State written by another build is never trusted.
 */
export function codeStamp(): string {
  if (stamp === undefined) {
    const file = fileURLToPath(import.meta.url);
    try {
      const s = statSync(file);
      stamp = `${file}:${s.size}:${s.mtimeMs}`;
    } catch {
      stamp = `${file}:unknown:${process.pid}`;
    }
  }
  return stamp;
}

/** The nearest folder upwards whose package.json names dockbuild (from src/util/ and from the bundle in dist/). */
function findPackageRoot(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && isDockbuildManifest(manifest)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function isDockbuildManifest(file: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof parsed === "object" && parsed !== null && "name" in parsed && parsed.name === "dockbuild";
  } catch {
    return false;
  }
}
