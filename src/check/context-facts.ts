import { createContextFilter } from "../inputs/context-filter.js";

/** What `check` needs to know about a build context, read once per context. */
export interface ContextFacts {
  /** Names at the context's root; folders end with `/`. */
  entries: Set<string>;
  /** The patterns of the `.dockerignore` BuildKit uses for this build, undefined when there is none. */
  dockerignore?: string[];
  /** The `.dockerignore` file those patterns come from. */
  dockerignoreFile?: string;
  /** The root `package.json` declares `workspaces` (npm, Yarn), or a `pnpm-workspace.yaml` exists. */
  nodeWorkspaces: boolean;
}

/** Folders that weigh a lot and belong in no image: what `COPY . .` must not send. */
export const HEAVY_FOLDERS = [".git", "node_modules", ".venv", "__pycache__"];

/** The heavy folders at the context's root that its `.dockerignore` lets through (all of them without one). */
export function shippedHeavyFolders(facts: ContextFacts): string[] {
  const filter = createContextFilter(facts.dockerignore);
  return HEAVY_FOLDERS.filter((name) => facts.entries.has(`${name}/`) && filter.includes(name));
}

/** Whether a file or folder (`name` or `name/`) exists at the context's root; undefined when unknown. */
export function existsInContext(facts: ContextFacts | undefined, name: string): boolean | undefined {
  if (!facts) return undefined;
  const bare = name.replace(/^\.\//, "").replace(/\/$/, "");
  return facts.entries.has(bare) || facts.entries.has(`${bare}/`);
}
