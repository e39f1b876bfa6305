import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ExistingCompose, InitPlan } from "./plan-init.js";

/** Compose's default file names, in the order Compose looks for them. */
const COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

/** The compose file `init` adds services to: the one given (`-f`), else the first of Compose's default names found. */
export async function readExistingCompose(
  root: string,
  given?: string,
): Promise<ExistingCompose | undefined> {
  for (const candidate of given ? [given] : COMPOSE_FILES) {
    const file = path.resolve(root, candidate);
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text !== undefined) return { path: path.relative(root, file), text };
    if (given) return { path: path.relative(root, file) };
  }
  return undefined;
}

/** Write the planned files under `root`, making folders as needed. */
export async function writeInitFiles(root: string, plan: InitPlan): Promise<void> {
  for (const file of plan.files) {
    const target = path.join(root, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
}
