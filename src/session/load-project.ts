import path from "node:path";
import { loadProject as loadCompose } from "../compose/load.js";
import type { Project } from "../compose/types.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { loadGraph } from "../graph/load.js";
import type { BuildGraph } from "../graph/types.js";
import { checkBuilderRequests } from "./builder-requests.js";

/** Where the project is and how to read it; the names follow Compose's command-line options. */
export interface ProjectOptions {
  /** Compose files (default: Compose's lookup, or the config's `files`). */
  file?: string[];
  projectDirectory?: string;
  projectName?: string;
  /** Environment files for interpolation (default `.env`). */
  envFile?: string[];
  /** Profiles to activate (`*` for all). */
  profile?: string[];
  /** dockbuild's own config file (default: found by search). */
  config?: string;
  /** The folder relative paths start from (default: the process's). */
  cwd?: string;
  /** The environment for interpolation and Compose's variables (default: the process's). */
  env?: Record<string, string | undefined>;
}

/** Everything dockbuild knows about a repository before it plans: config, the Compose project, the graph. */
export interface LoadedProject {
  config: Config;
  /** The config file found or given, if any. */
  configFile?: string;
  project: Project;
  graph: BuildGraph;
  /** Every warning of config, compose and graph, each once, in that order. */
  warnings: string[];
}

/**
 * Read the config, the Compose files and every Dockerfile, and work out the build graph. `afterConfig` is
 * called as soon as the config is known (with the file it came from), so that a caller can start other work
 * (engine detection) meanwhile.
 */
export async function loadProject(
  options: ProjectOptions = {},
  afterConfig?: (config: Config, configFile: string | undefined) => void,
): Promise<LoadedProject> {
  const cwd = options.cwd ?? process.cwd();
  const searchFrom = options.projectDirectory ? path.resolve(cwd, options.projectDirectory) : cwd;
  const {
    config,
    filepath,
    warnings: configWarnings,
  } = await loadConfig({ explicitPath: options.config, searchFrom });
  afterConfig?.(config, filepath);
  const configDir = filepath ? path.dirname(filepath) : searchFrom;
  const files =
    (options.file ?? []).length > 0
      ? (options.file ?? [])
      : (config.files ?? []).map((f) => path.resolve(configDir, f));
  const project = await loadCompose({
    files: files.map((f) => path.resolve(cwd, f)),
    projectDirectory: options.projectDirectory ? path.resolve(cwd, options.projectDirectory) : undefined,
    projectName: options.projectName ?? config.projectName,
    envFiles: (options.envFile ?? []).map((f) => path.resolve(cwd, f)),
    profiles: options.profile ?? [],
    env: options.env ?? process.env,
    cwd: searchFrom,
  });
  const graph = await loadGraph(project, config);
  await checkBuilderRequests(config, filepath, graph);
  const warnings = [...new Set([...configWarnings, ...project.warnings, ...graph.warnings])];
  return { config, ...(filepath !== undefined ? { configFile: filepath } : {}), project, graph, warnings };
}
