import path from "node:path";
import { extendsReferences, resolveExtends, type ComposeFile } from "./extends.js";
import { includeEntries, mergeIncluded, type IncludeEntry, type IncludedModel } from "./include.js";
import { mergeNodes } from "./merge.js";
import { get, isMap, map, toLocation, type Origin, type YEntry, type YMap } from "./node.js";
import type { ComposeFileCache } from "./file-cache.js";
import { readComposeFile, readEnvFiles, type Sink } from "./read.js";
import type { Lookup } from "./template.js";
import { append } from "../util/append.js";
import { RESOURCE_KINDS, type Declared } from "./consistency.js";

export interface ModelContext {
  /** Where the files' relative paths resolve: the project directory. */
  dir: string;
  /** The interpolation environment. */
  env: Record<string, string>;
  home?: string;
  /** Files that include this model, outermost first, to stop include cycles. */
  includeStack: string[];
  /** Compose files read in earlier runs. */
  files?: ComposeFileCache;
}

/** The merged model of a list of compose files: what the rest of loading reads from it. */
export interface Model {
  services: Map<string, YEntry>;
  secrets: Map<string, YEntry>;
  name?: YEntry;
  /** No file had any content. */
  empty: boolean;
  /** Per service, every file that defines or feeds it: compose files, `extends` and `include` files, env files. */
  sources: Map<string, Set<string>>;
  /** The names of the top-level networks, volumes, secrets, configs and models, included ones too. */
  declared: Declared;
}

/**
 * Compose's per-file order: read and interpolate a file, resolve its `extends`, bring in its
 * `include`s, then merge it over the files before it. Used for the project and for each included project.
 */
export async function loadModel(
  files: string[],
  ctx: ModelContext,
  sink: Sink,
  includedAt?: Origin,
): Promise<Model> {
  const lookup: Lookup = (name) => (Object.hasOwn(ctx.env, name) ? ctx.env[name] : undefined);
  const others = new Map<string, ComposeFile | { error: string }>();
  const sources = new Map<string, Set<string>>();
  const addSources = (service: string, more: Iterable<string>): void => {
    const set = sources.get(service) ?? new Set<string>();
    for (const file of more) set.add(file);
    sources.set(service, set);
  };
  let merged: YMap | undefined;
  const declared = emptyDeclared();
  for (const file of files) {
    const loaded = await readComposeFile(file, ctx.dir, lookup, sink, ctx.files);
    if ("error" in loaded) {
      sink.problems.push(
        includedAt
          ? {
              location: toLocation(includedAt),
              message: `include: ${loaded.error}`,
              hint: "check the include path",
            }
          : {
              location: { file },
              message: `compose file ${loaded.reason}`,
              hint:
                loaded.failure === "not-found"
                  ? "check -f and COMPOSE_FILE"
                  : "a compose file must be a readable regular file",
            },
      );
      continue;
    }
    if (!loaded.root) continue;
    await readExtendedFiles(loaded, others, lookup, sink, ctx);
    const extended = resolveExtends(
      loaded,
      (file) => others.get(file) ?? { error: `${file} cannot be read` },
      ctx.home,
    );
    append(sink.problems, extended.problems);
    for (const name of extended.services.keys())
      addSources(name, [file, ...(extended.files.get(name) ?? [])]);
    const included: IncludedModel[] = [];
    for (const entry of includeEntries(loaded.root, ctx.home)) {
      const model = await loadIncluded(entry, ctx, [...ctx.includeStack, file], sink);
      if (!model) continue;
      included.push(model);
      for (const [name, files] of model.sources) addSources(name, [file, ...files]);
      for (const kind of RESOURCE_KINDS) for (const name of model.declared[kind]) declared[kind].add(name);
    }
    const combined = mergeIncluded(extended.services, entriesOf(loaded.root, "secrets"), included);
    append(sink.problems, combined.problems);
    const entries = new Map(loaded.root.entries);
    replace(entries, "services", combined.services, loaded.root);
    replace(entries, "secrets", combined.secrets, loaded.root);
    const root = map(entries, loaded.root.origin);
    merged = mergeNodes(merged, root, []) as YMap;
  }
  for (const kind of RESOURCE_KINDS)
    for (const name of entriesOf(merged, kind).keys()) declared[kind].add(name);
  return {
    services: entriesOf(merged, "services"),
    secrets: entriesOf(merged, "secrets"),
    name: merged?.entries.get("name"),
    empty: merged === undefined,
    sources,
    declared,
  };
}

function emptyDeclared(): Declared {
  return Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, new Set<string>()])) as Declared;
}

/** Reads every file named by `extends: file:`, transitively, each with its own folder for relative paths. */
async function readExtendedFiles(
  file: ComposeFile,
  others: Map<string, ComposeFile | { error: string }>,
  lookup: Lookup,
  sink: Sink,
  ctx: Pick<ModelContext, "home" | "files">,
): Promise<void> {
  const queue = extendsReferences(file, ctx.home);
  for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) {
    if (others.has(ref.path)) continue;
    const loaded = await readComposeFile(ref.path, path.dirname(ref.path), lookup, sink, ctx.files);
    others.set(ref.path, "error" in loaded ? { error: loaded.error } : loaded);
    if (!("error" in loaded)) append(queue, extendsReferences(loaded, ctx.home));
  }
}

async function loadIncluded(
  entry: IncludeEntry,
  parent: ModelContext,
  stack: string[],
  sink: Sink,
): Promise<IncludedModel | undefined> {
  const cycle = entry.files.find((file) => stack.includes(file));
  if (cycle !== undefined) {
    sink.problems.push({
      location: toLocation(entry.origin),
      message: `include: cycle: ${[...stack.slice(stack.indexOf(cycle)), cycle].join(" -> ")}`,
      hint: "a compose file cannot include itself, directly or through others",
    });
    return undefined;
  }
  const explicit = entry.envFiles.length > 0;
  const envFiles = explicit ? entry.envFiles : [path.join(entry.projectDirectory, ".env")];
  const fileEnv = await readEnvFiles(envFiles, explicit, parent.env, sink, (file, reason) => ({
    location: toLocation(entry.origin),
    message: `include.env_file: ${file} ${reason}`,
    hint: "check the path; it is relative to the including file's project directory",
  }));
  // The including project's environment wins over the included project's own env files.
  const env = { ...fileEnv.values, ...parent.env };
  const ctx: ModelContext = {
    dir: entry.projectDirectory,
    env,
    home: parent.home,
    includeStack: stack,
    ...(parent.files ? { files: parent.files } : {}),
  };
  const model = await loadModel(entry.files, ctx, sink, entry.origin);
  // An included project's env files feed its services (the default `.env` even when absent).
  for (const files of model.sources.values()) for (const file of envFiles) files.add(file);
  return {
    entry,
    services: model.services,
    secrets: model.secrets,
    sources: model.sources,
    declared: model.declared,
  };
}

function entriesOf(root: YMap | undefined, key: string): Map<string, YEntry> {
  const node = get(root, key);
  return isMap(node) ? node.entries : new Map();
}

function replace(entries: Map<string, YEntry>, key: string, value: Map<string, YEntry>, root: YMap): void {
  const previous = entries.get(key);
  if (!previous && value.size === 0) return;
  const origin = previous?.value.origin ?? root.origin;
  entries.set(key, { key: previous?.key ?? root.origin, value: map(value, origin) });
}
