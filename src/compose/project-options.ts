import path from "node:path";
import type { Problem } from "../errors.js";

// Compose's CLI conventions: compose-go cli/options.go and types/project.go (NormalizeProjectName).

/** The names Compose looks for, in its order of preference. */
export const DEFAULT_FILES = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
/** The override files Compose adds beside the file it found. */
export const OVERRIDE_FILES = [
  "compose.override.yml",
  "compose.override.yaml",
  "docker-compose.override.yml",
  "docker-compose.override.yaml",
];

/** A folder name becomes a project name the way Compose does it: lowercase, `[a-z0-9_-]`, no leading `_`/`-`. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "")
    .replace(/^[_-]+/, "");
}

/** A name given explicitly (`-p`, `COMPOSE_PROJECT_NAME`, `name:`) must already be normalized; Compose refuses it otherwise. */
export function isValidProjectName(name: string): boolean {
  return name !== "" && normalizeProjectName(name) === name;
}

/** `COMPOSE_PROFILES=a, b` → `["a", "b"]`. */
export function parseProfiles(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((profile) => profile.trim())
    .filter((profile) => profile !== "");
}

/** `COMPOSE_FILE` replaces the default lookup; its separator is `COMPOSE_PATH_SEPARATOR` or `:`. */
export function composeFilesFromEnv(env: Record<string, string | undefined>, cwd: string): string[] {
  const value = env.COMPOSE_FILE;
  if (value === undefined || value === "") return [];
  const separator = env.COMPOSE_PATH_SEPARATOR || path.delimiter;
  return value
    .split(separator)
    .filter((file) => file !== "")
    .map((file) => path.resolve(cwd, file));
}

/** `COMPOSE_ENV_FILES=a.env,b.env` names the env files when `--env-file` is not given; empty items are dropped. */
export function envFilesFromEnv(env: Record<string, string | undefined>): string[] {
  return (env.COMPOSE_ENV_FILES ?? "").split(",").filter((file) => file !== "");
}

/** Whether something is at a path: true, false, or why the path cannot be looked at. */
export type Probe = (file: string) => boolean | string;

export interface DefaultFiles {
  files: string[];
  warnings: string[];
  /** A folder on the way that could not be looked into: searching on would find the wrong project. */
  problem?: Problem;
}

/** With no `-f`, Compose takes the first compose file in the folder or its nearest parent, plus its override. */
export function findDefaultFiles(cwd: string, probe: Probe): DefaultFiles {
  const warnings: string[] = [];
  let problem: Problem | undefined;
  const isThere = (file: string): boolean => {
    const found = probe(file);
    if (typeof found === "string") {
      problem ??= {
        message: `cannot look for compose files in ${path.dirname(file)}: ${path.basename(file)} ${found}`,
        hint: "make the folder readable, or pass -f FILE",
      };
      return false;
    }
    return found;
  };
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const found = DEFAULT_FILES.map((name) => path.join(dir, name)).filter(isThere);
    if (problem) return { files: [], warnings, problem };
    const main = found[0];
    if (main !== undefined) {
      if (found.length > 1)
        warnings.push(`Found multiple config files with supported names: ${found.join(", ")}; using ${main}`);
      const overrides = OVERRIDE_FILES.map((name) => path.join(dir, name)).filter(isThere);
      if (problem) return { files: [], warnings, problem };
      const override = overrides[0];
      if (overrides.length > 1) {
        warnings.push(
          `Found multiple override files with supported names: ${overrides.join(", ")}; using ${override}`,
        );
      }
      return { files: override === undefined ? [main] : [main, override], warnings };
    }
    if (path.dirname(dir) === dir) return { files: [], warnings };
  }
}
