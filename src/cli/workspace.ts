import path from "node:path";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { loadProject } from "../compose/load.js";
import type { Project } from "../compose/types.js";
import { loadGraph } from "../graph/load.js";
import type { BuildGraph } from "../graph/types.js";
import type { GlobalOptions } from "./global-options.js";

export interface Workspace {
  config: Config;
  configFile?: string;
  project: Project;
  graph: BuildGraph;
  /** Every warning of config, compose and graph, each once, in that order. */
  warnings: string[];
}

/** Read everything a command needs about the repo: config, the Compose project, Dockerfiles, the graph. */
export async function loadWorkspace(
  options: GlobalOptions,
  cwd = process.cwd(),
  afterConfig?: (config: Config) => void,
): Promise<Workspace> {
  const searchFrom = options.projectDirectory ? path.resolve(cwd, options.projectDirectory) : cwd;
  const {
    config,
    filepath,
    warnings: configWarnings,
  } = await loadConfig({
    explicitPath: options.config,
    searchFrom,
  });
  afterConfig?.(config);
  const configDir = filepath ? path.dirname(filepath) : searchFrom;
  const files =
    (options.file ?? []).length > 0
      ? (options.file ?? [])
      : (config.files ?? []).map((f) => path.resolve(configDir, f));
  const project = await loadProject({
    files: files.map((f) => path.resolve(cwd, f)),
    projectDirectory: options.projectDirectory ? path.resolve(cwd, options.projectDirectory) : undefined,
    projectName: options.projectName ?? config.projectName,
    envFiles: (options.envFile ?? []).map((f) => path.resolve(cwd, f)),
    profiles: options.profile ?? [],
    env: process.env,
    cwd: searchFrom,
  });
  const graph = await loadGraph(project, config);
  const warnings = [...new Set([...configWarnings, ...project.warnings, ...graph.warnings])];
  return { config, configFile: filepath, project, graph, warnings };
}
