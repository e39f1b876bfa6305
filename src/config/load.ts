import { readFile } from "node:fs/promises";
import path from "node:path";
import { cosmiconfig, getDefaultSearchPlaces } from "cosmiconfig";
import { InputError, type Problem } from "../errors.js";
import { lineOfPath } from "../util/yaml-location.js";
import { validateConfig } from "./validate.js";
import type { Config } from "./schema.js";

export interface LoadedConfig {
  config: Config;
  /** The file it came from; undefined when none was found. */
  filepath?: string;
}

const MODULE = "dockbuild";

/** Find dockbuild's config (or read the one given with `-c`) and validate it; every problem is listed. */
export async function loadConfig(options: {
  explicitPath?: string;
  searchFrom: string;
}): Promise<LoadedConfig> {
  const searchPlaces = [
    ...getDefaultSearchPlaces(MODULE),
    `${MODULE}.config.json`,
    `${MODULE}.config.yaml`,
    `${MODULE}.config.yml`,
  ];
  const explorer = cosmiconfig(MODULE, { searchStrategy: "project", searchPlaces, cache: false });
  let result;
  try {
    result = options.explicitPath
      ? await explorer.load(path.resolve(options.searchFrom, options.explicitPath))
      : await explorer.search(options.searchFrom);
  } catch (error) {
    const file = options.explicitPath ?? path.join(options.searchFrom, ".dockbuildrc");
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
    throw new InputError([
      { location: { file, line: lineFromMessage(message) }, message: `cannot read config: ${message}` },
    ]);
  }
  if (!result || result.isEmpty) return { config: {}, filepath: result?.filepath };
  const filepath = result.filepath;
  const issues = validateConfig(result.config);
  if (issues.length === 0) return { config: result.config as Config, filepath };
  const text = await readFile(filepath, "utf8").catch(() => "");
  const isPackageJson = path.basename(filepath) === "package.json";
  const problems: Problem[] = issues.map((issue) => {
    const keyPath = isPackageJson ? [MODULE, ...issue.path] : issue.path;
    return {
      location: {
        file: filepath,
        line: /\.(c|m)?(j|t)s$/.test(filepath) ? undefined : lineOfPath(text, keyPath),
      },
      message: `${keyPath.join(".") || "(root)"}: ${issue.message}`,
      hint: issue.hint,
    };
  });
  throw new InputError(problems);
}

function lineFromMessage(message: string): number | undefined {
  const match = /line (\d+)/i.exec(message) ?? /:(\d+):\d+/.exec(message);
  return match ? Number(match[1]) : undefined;
}
