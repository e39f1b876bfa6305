import path from "node:path";
import type { Problem } from "../errors.js";
import {
  isMap,
  isSeq,
  get,
  text,
  toLocation,
  type Origin,
  type YEntry,
  type YMap,
  type YNode,
} from "./node.js";
import { resolveLocalPath } from "./paths.js";
import type { Declared } from "./consistency.js";

// `include`: https://github.com/compose-spec/compose-spec/blob/v2.6.0/14-include.md

export interface IncludeEntry {
  /** Absolute paths of the included compose files (merged like `-f` files). */
  files: string[];
  /** Where the included files' relative paths resolve; default: the first file's folder. */
  projectDirectory: string;
  /** Absolute `env_file` paths; empty means `.env` in the project directory when it exists. */
  envFiles: string[];
  origin: Origin;
}

/** What an included sub-project contributes to the including file. */
export interface IncludedModel {
  entry: IncludeEntry;
  services: Map<string, YEntry>;
  secrets: Map<string, YEntry>;
  /** Per service, the files that define or feed it inside the included project. */
  sources: Map<string, Set<string>>;
  /** The top-level names the included project declares (Compose imports them with its services). */
  declared: Declared;
}

/** Each `include` item is loaded as its own project; its paths are relative to the including file. */
export function includeEntries(root: YMap | undefined, home?: string): IncludeEntry[] {
  const list = get(root, "include");
  if (!isSeq(list)) return [];
  const entries: IncludeEntry[] = [];
  for (const item of list.items) {
    const dir = item.origin.dir;
    const pathNode = isMap(item) ? get(item, "path") : item;
    const files = strings(pathNode).map((file) => resolveLocalPath(dir, file, home));
    const first = files[0];
    if (first === undefined) continue;
    const projectDirectory = text(get(item, "project_directory"));
    entries.push({
      files,
      projectDirectory:
        projectDirectory === undefined ? path.dirname(first) : resolveLocalPath(dir, projectDirectory, home),
      envFiles: strings(get(item, "env_file")).map((file) => resolveLocalPath(dir, file, home)),
      origin: item.origin,
    });
  }
  return entries;
}

/**
 * Included services join the including file's model, and Compose refuses a name defined on both sides
 * rather than guessing which one wins.
 */
export function mergeIncluded(
  own: Map<string, YEntry>,
  ownSecrets: Map<string, YEntry>,
  included: IncludedModel[],
): { services: Map<string, YEntry>; secrets: Map<string, YEntry>; problems: Problem[] } {
  const problems: Problem[] = [];
  const services = new Map<string, YEntry>();
  const secrets = new Map<string, YEntry>();
  for (const model of included) {
    for (const [name, entry] of model.services) {
      const previous = services.get(name);
      if (previous && previous.key !== entry.key) {
        problems.push({
          location: toLocation(model.entry.origin),
          message: `include: service "${name}" is imported twice, from ${previous.key.file} and ${entry.key.file}`,
          hint: "a service can be defined by only one included project",
        });
        continue;
      }
      services.set(name, entry);
    }
    for (const [name, entry] of model.secrets) if (!secrets.has(name)) secrets.set(name, entry);
  }
  for (const [name, entry] of own) {
    const imported = services.get(name);
    if (imported) {
      problems.push({
        location: toLocation(entry.key),
        message: `services.${name}: conflicts with the service imported from ${imported.key.file}`,
        hint: "rename one of them, or extend the included service instead of redefining it",
      });
    }
    services.set(name, entry);
  }
  for (const [name, entry] of ownSecrets) secrets.set(name, entry);
  return { services, secrets, problems };
}

function strings(node: YNode | undefined): string[] {
  if (isSeq(node)) return node.items.map(text).filter((value) => value !== undefined);
  const value = text(node);
  return value === undefined ? [] : [value];
}
