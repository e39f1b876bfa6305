import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { getDefaultSearchPlaces } from "cosmiconfig";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { InputError, type Problem } from "../errors.js";
import { locateJsonError } from "../util/json-error.js";
import { lineOfPath } from "../util/yaml-location.js";
import { checkConfigFiles } from "./files.js";
import { loadConfigFile, MAX_CONFIG_BYTES, searchConfig } from "./search.js";
import { validateConfig } from "./validate.js";
import type { Config } from "./schema.js";

export interface LoadedConfig {
  config: Config;
  /** The file it came from; undefined when none was found. */
  filepath?: string;
  /** What was skipped on the way (a package.json that cannot be parsed and holds no dockbuild key). */
  warnings: string[];
}

const MODULE = "dockbuild";

/** A config file that cannot be parsed, with the parser's own words and the line they point at. */
class ConfigSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line: number | undefined,
  ) {
    super(detail);
  }
}

/**
 * Find dockbuild's config (or read the one given with `-c`) and validate it; every problem is listed. A
 * package.json that cannot be parsed is skipped with a warning when it cannot hold a `dockbuild` key: the
 * search must not stop on a broken file of another tool (in a parent folder, say).
 */
export async function loadConfig(options: {
  explicitPath?: string;
  searchFrom: string;
}): Promise<LoadedConfig> {
  const warnings: string[] = [];
  const searchPlaces = [
    ...getDefaultSearchPlaces(MODULE),
    `${MODULE}.config.json`,
    `${MODULE}.config.yaml`,
    `${MODULE}.config.yml`,
  ];
  const loadJson = (filepath: string, content: string): unknown => {
    try {
      return JSON.parse(content);
    } catch (error) {
      const { detail, line } = jsonErrorDetail(error, content);
      if (path.basename(filepath) === "package.json" && !content.includes(`"${MODULE}"`)) {
        warnings.push(
          `${filepath}${line === undefined ? "" : `:${line}`}: cannot be parsed (${detail}); it has no "${MODULE}" key, so dockbuild skips it`,
        );
        return {};
      }
      throw new ConfigSyntaxError(filepath, detail, line);
    }
  };
  const loadYaml = (filepath: string, content: string): unknown => {
    try {
      return parseYaml(content);
    } catch (error) {
      if (!(error instanceof YAMLParseError)) throw error;
      const detail = (error.message.split("\n")[0] ?? error.message).replace(/:$/, "");
      throw new ConfigSyntaxError(filepath, detail, error.linePos?.[0].line);
    }
  };
  const loaders = { json: loadJson, yaml: loadYaml };
  const explicit = options.explicitPath && path.resolve(options.searchFrom, options.explicitPath);
  if (explicit) await checkConfigFile(explicit);
  let result;
  try {
    result = explicit
      ? await loadConfigFile(explicit, loaders, MODULE)
      : await searchConfig(options.searchFrom, searchPlaces, loaders, MODULE);
  } catch (error) {
    throw configReadError(error, explicit);
  }
  if (!result || result.config === undefined) return { config: {}, filepath: result?.filepath, warnings };
  const filepath = result.filepath;
  const isPackageJson = path.basename(filepath) === "package.json";
  const keyPrefix = isPackageJson ? [MODULE] : [];
  const text = () => readFile(filepath, "utf8").catch(() => "");
  const lineOf = async (keyPath: (string | number)[]) =>
    /\.(c|m)?(j|t)s$/.test(filepath) ? undefined : lineOfPath(await text(), keyPath);
  const issues = validateConfig(result.config);
  const problems: Problem[] = [];
  for (const issue of issues) {
    const keyPath = [...keyPrefix, ...issue.path];
    problems.push({
      location: { file: filepath, line: await lineOf(keyPath) },
      message: `${keyPath.join(".") || "(root)"}: ${issue.message}`,
      hint: issue.hint,
    });
  }
  if (problems.length > 0) throw new InputError(problems);
  const config = result.config as Config;
  problems.push(
    ...(await checkConfigFiles(config.files ?? [], path.dirname(filepath), async (index) => ({
      file: filepath,
      line: await lineOf([...keyPrefix, "files", index]),
    }))),
  );
  if (problems.length > 0) throw new InputError(problems);
  return { config, filepath, warnings };
}

/** `-c FILE` must name a regular file of a sensible size before anything reads it. */
async function checkConfigFile(file: string): Promise<void> {
  const stats = await stat(file).catch(() => undefined);
  const reason = !stats
    ? "does not exist"
    : !stats.isFile()
      ? "is not a regular file"
      : stats.size > MAX_CONFIG_BYTES
        ? `is ${stats.size} bytes, more than a config file can be`
        : undefined;
  if (reason) {
    throw new InputError([
      { location: { file }, message: `config file ${file} ${reason}`, hint: "check -c" },
    ]);
  }
}

/** Where and why a config file could not be read, keeping the parser's detail and line. */
function configReadError(error: unknown, explicit: string | undefined): InputError {
  if (error instanceof ConfigSyntaxError) {
    return new InputError([
      {
        location: { file: error.file, line: error.line },
        message: `cannot parse the config file: ${error.detail}`,
        hint: "fix the syntax at that line",
      },
    ]);
  }
  const file = (error as { filepath?: unknown }).filepath ?? explicit ?? "the dockbuild config file";
  // A JavaScript config that throws, say: its first line says what.
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split("\n")[0] ?? message;
  return new InputError([
    { location: { file: String(file) }, message: `cannot read the config file: ${first}` },
  ]);
}

/** What is wrong with a JSON text and where, in words an editor can jump from; V8's message when not found. */
function jsonErrorDetail(error: unknown, content: string): { detail: string; line?: number } {
  const located = locateJsonError(content);
  if (located) return { detail: located.detail, line: located.line };
  const message = error instanceof Error ? error.message : String(error);
  return { detail: message.split("\n")[0] ?? message };
}
