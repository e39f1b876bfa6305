import { readFile, stat } from "node:fs/promises";
import type { Problem } from "../errors.js";
import { parseEnvFile } from "./env-file.js";
import { interpolateTree } from "./interpolate.js";
import { isMap, map, type YEntry, type YMap } from "./node.js";
import { normalizeServiceForms } from "./normalize-forms.js";
import { parseYaml } from "./parse-yaml.js";
import type { ComposeFile } from "./extends.js";
import type { Lookup } from "./template.js";
import { validateComposeFile } from "./validate.js";

/** Problems, unset variables and warnings gathered across every file of one load. */
export interface Sink {
  problems: Problem[];
  unset: Set<string>;
  warnings: string[];
}

/** Reads a file, or says in a few words why it cannot be read. */
export async function readText(file: string): Promise<{ text: string } | { error: string }> {
  try {
    return { text: await readFile(file, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : String(error);
    return { error: `cannot read ${file}: ${reason}` };
  }
}

export async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Every compose file goes through the same steps before merging: parse with lines, interpolate,
 * validate, normalize short forms. `dir` is where its relative paths resolve.
 */
export async function readComposeFile(
  file: string,
  dir: string,
  lookup: Lookup,
  sink: Sink,
): Promise<ComposeFile | { error: string }> {
  const read = await readText(file);
  if ("error" in read) return read;
  const parsed = parseYaml(read.text, file, dir);
  sink.problems.push(...parsed.problems);
  if (parsed.root === undefined) return { path: file, root: undefined };
  const interpolated = interpolateTree(parsed.root, lookup);
  sink.problems.push(...interpolated.problems);
  for (const name of interpolated.unset) sink.unset.add(name);
  const root = interpolated.root;
  sink.problems.push(...validateComposeFile(root));
  if (!isMap(root)) return { path: file, root: undefined };
  if (root.entries.has("version")) {
    sink.warnings.push(
      `${file}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`,
    );
  }
  return { path: file, root: withNormalizedServices(root) };
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

/**
 * `.env` / `--env-file` values feed interpolation; later files see earlier ones, the process env wins.
 * A listed file that is missing is a problem; the default `.env` is optional.
 */
export async function readEnvFiles(
  files: string[],
  required: boolean,
  processEnv: Record<string, string>,
  sink: Sink,
  missing: (file: string) => Problem,
): Promise<Record<string, string>> {
  const values = new Map<string, string>();
  for (const file of files) {
    if (!required && !(await isFile(file))) continue;
    const read = await readText(file);
    if ("error" in read) {
      sink.problems.push(missing(file));
      continue;
    }
    const parsed = parseEnvFile(read.text, file, (name) => processEnv[name] ?? values.get(name));
    sink.problems.push(...parsed.problems);
    for (const name of parsed.unset) sink.unset.add(name);
    for (const [key, value] of parsed.values) values.set(key, value);
  }
  return Object.fromEntries(values);
}
