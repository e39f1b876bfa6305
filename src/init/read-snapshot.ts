import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { RepoSnapshot } from "./types.js";

/** Folders that hold no package of the repository's own. */
const SKIP = new Set([
  "node_modules",
  "vendor",
  "dist",
  "build",
  "target",
  "venv",
  "__pycache__",
  "testdata",
]);
/** Files whose text `init` reads. */
const READ = /^(package\.json|pnpm-workspace\.yaml|go\.mod|pyproject\.toml|requirements\.txt|main\.go)$/;
const MAX_DEPTH = 6;

/** Walk the repository (hidden and dependency folders left out) and read the manifests `init` needs. */
export async function readRepoSnapshot(root: string): Promise<RepoSnapshot> {
  const files = new Set<string>();
  const texts = new Map<string, string>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
    await Promise.all(
      entries.map(async (entry) => {
        const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
        if (entry.isDirectory()) {
          if (depth < MAX_DEPTH && !entry.name.startsWith(".") && !SKIP.has(entry.name))
            await walk(rel, depth + 1);
          else if (entry.name === ".yarn") files.add(`${rel}/`);
          return;
        }
        files.add(rel);
        if (READ.test(entry.name)) texts.set(rel, await readFile(path.join(root, rel), "utf8"));
      }),
    );
  };
  await walk("", 0);
  return { files, texts };
}
