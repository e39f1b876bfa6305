import { formatLocation, type Problem } from "../errors.js";
import { readInputFile, type ReadFailure, type ReadResult } from "../util/read-input-file.js";
import { castTypes } from "./cast-types.js";
import { recordingLookup, type ComposeFileCache, type ComposeFileRead } from "./file-cache.js";
import { parseEnvFile } from "./env-file.js";
import { interpolateTree } from "./interpolate.js";
import { isMap, map, toLocation, type YEntry, type YMap } from "./node.js";
import { normalizeServiceForms } from "./normalize-forms.js";
import { parseYaml } from "./parse-yaml.js";
import type { ComposeFile } from "./extends.js";
import type { Lookup } from "./template.js";
import { validateComposeFile } from "./validate.js";
import { append } from "../util/append.js";
import { noteInputSize } from "../util/heap-growth.js";
import { addUnsetUse, mergeUnsetUses, type UnsetUses } from "./unset-variables.js";

/** A compose file larger than this is refused before it is parsed. */
export const MAX_COMPOSE_FILE_BYTES = 16 * 1024 * 1024;
/** Likewise an env file. */
export const MAX_ENV_FILE_BYTES = 4 * 1024 * 1024;

/** Problems, unset variables, warnings and files read, gathered across every file of one load. */
export interface Sink {
  problems: Problem[];
  unset: UnsetUses;
  warnings: string[];
}

/** Reads a compose file, or says in a few words why it cannot be read. */
export function readComposeText(file: string): Promise<ReadResult> {
  return readInputFile(file, MAX_COMPOSE_FILE_BYTES);
}

/** A compose file that could not be read: `error` names the file, `reason` does not. */
export interface UnreadFile {
  error: string;
  reason: string;
  failure: ReadFailure;
}

/**
 * Every compose file goes through Compose's steps before merging: parse with lines, interpolate (and cast
 * the types Compose casts), validate against the JSON schema, normalize short forms. `dir` is where its
 * relative paths resolve.
 */
export async function readComposeFile(
  file: string,
  dir: string,
  lookup: Lookup,
  sink: Sink,
  /** Reads of earlier runs: the same text with the same variables gives the same result. */
  cache?: ComposeFileCache,
): Promise<ComposeFile | UnreadFile> {
  const read = await readComposeText(file);
  if ("failure" in read)
    return { error: `${file} ${read.reason}`, reason: read.reason, failure: read.failure };
  noteInputSize(read.text.length);
  const done = cache?.find(read.text, file, dir, lookup) ?? readText(read.text, file, dir, lookup, cache);
  append(sink.problems, done.problems);
  mergeUnsetUses(sink.unset, new Map(done.unset));
  append(sink.warnings, done.warnings);
  return { path: file, root: done.root };
}

/** Parse, interpolate, cast, validate and normalize one file's text; kept in `cache` for the next run. */
function readText(
  text: string,
  file: string,
  dir: string,
  outer: Lookup,
  cache: ComposeFileCache | undefined,
): ComposeFileRead {
  const sink: Sink = { problems: [], unset: new Map(), warnings: [] };
  const { lookup, looked } = recordingLookup(outer);
  const root = readTree(text, file, dir, lookup, sink);
  const read = { root, problems: sink.problems, unset: [...sink.unset], warnings: sink.warnings };
  cache?.keep(text, file, dir, looked, read);
  return read;
}

function readTree(text: string, file: string, dir: string, lookup: Lookup, sink: Sink): YMap | undefined {
  const parsed = parseYaml(text, file, dir);
  append(sink.problems, parsed.problems);
  if (parsed.root === undefined) return undefined;
  const interpolated = interpolateTree(parsed.root, lookup);
  append(sink.problems, interpolated.problems);
  mergeUnsetUses(sink.unset, interpolated.unset);
  const cast = castTypes(interpolated.root);
  append(sink.problems, cast.problems);
  const root = cast.root;
  append(sink.problems, validateComposeFile(root));
  if (!isMap(root)) return undefined;
  const version = root.entries.get("version");
  if (version) {
    sink.warnings.push(
      `${formatLocation(toLocation(version.key))}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`,
    );
  }
  return withNormalizedServices(root);
}

function withNormalizedServices(root: YMap): YMap {
  const services = root.entries.get("services");
  if (!services || !isMap(services.value)) return root;
  const normalized = new Map<string, YEntry>();
  for (const [name, entry] of services.value.entries) {
    normalized.set(name, { key: entry.key, value: normalizeServiceForms(entry.value) });
  }
  const entries = new Map(root.entries);
  entries.set("services", { key: services.key, value: map(normalized, services.value.origin) });
  return map(entries, root.origin);
}

export interface EnvFiles {
  values: Record<string, string>;
}

/**
 * `.env` / `--env-file` values feed interpolation; later files see earlier ones, the process env wins.
 * A listed file that cannot be read is a problem; the default `.env` may be missing (or a folder), as in
 * Compose, but one that exists and cannot be read is a problem too.
 */
export async function readEnvFiles(
  files: string[],
  required: boolean,
  processEnv: Record<string, string>,
  sink: Sink,
  problem: (file: string, reason: string) => Problem,
): Promise<EnvFiles> {
  const values = new Map<string, string>();
  for (const file of files) {
    const result = await readInputFile(file, MAX_ENV_FILE_BYTES);
    if ("failure" in result) {
      const optional = !required && (result.failure === "not-found" || result.failure === "folder");
      if (!optional) sink.problems.push(problem(file, result.reason));
      continue;
    }
    const parsed = parseEnvFile(result.text, file, (name) => processEnv[name] ?? values.get(name));
    append(sink.problems, parsed.problems);
    // The env file's own lines are not kept; its name says where to look.
    for (const name of parsed.unset) addUnsetUse(sink.unset, name, { file });
    for (const [key, value] of parsed.values) values.set(key, value);
  }
  return { values: Object.fromEntries(values) };
}
