import type { Command } from "commander";
import { DockbuildError } from "../errors.js";
import type { ProjectOptions } from "../session/index.js";

/**
 * Options every command takes, named as Compose names them, plus dockbuild's own config file: the core's
 * project options that a flag sets (the folder and environment are the process's).
 */
export type GlobalOptions = Omit<ProjectOptions, "cwd" | "env">;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The flag table, typed against GlobalOptions so that a new option cannot miss its flag. */
export const globalFlags: Record<
  keyof GlobalOptions,
  { flags: string; description: string; repeatable?: boolean }
> = {
  file: {
    flags: "-f, --file <path>",
    description: "compose file (repeatable; default: Compose's lookup)",
    repeatable: true,
  },
  projectDirectory: {
    flags: "--project-directory <dir>",
    description: "project folder (default: the first compose file's folder)",
  },
  projectName: {
    flags: "-p, --project-name <name>",
    description: "project name (default: COMPOSE_PROJECT_NAME, name:, folder name)",
  },
  envFile: {
    flags: "--env-file <path>",
    description: "environment file for interpolation (repeatable; default .env)",
    repeatable: true,
  },
  profile: {
    flags: "--profile <name>",
    description: "activate a profile (repeatable; '*' for all)",
    repeatable: true,
  },
  config: {
    flags: "-c, --config <path>",
    description: "dockbuild config file (default: dockbuild.config.*, .dockbuildrc*, package.json#dockbuild)",
  },
};

export function addGlobalOptions(command: Command): Command {
  for (const { flags, description, repeatable } of Object.values(globalFlags)) {
    if (repeatable) command.option(flags, description, collect);
    else command.option(flags, description);
  }
  return command;
}

/** The global flags as the core's project options. */
export function globalToProjectOptions(flags: GlobalOptions): ProjectOptions {
  const { file, projectDirectory, projectName, envFile, profile, config } = flags;
  return Object.fromEntries(
    Object.entries({ file, projectDirectory, projectName, envFile, profile, config }).filter(
      ([, value]) => value !== undefined,
    ),
  );
}

/**
 * The global flags again as arguments, long names in the table's order, values as given (relative paths stay
 * relative to the folder dockbuild runs in): what a CI job needs to load the same project.
 */
export function globalArgs(flags: GlobalOptions): string[] {
  return (Object.keys(globalFlags) as (keyof GlobalOptions)[]).flatMap((key) => {
    const name = /--[\w-]+/.exec(globalFlags[key].flags)?.[0] ?? `--${key}`;
    const value = flags[key];
    const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return values.flatMap((v) => [name, v]);
  });
}

/** `--affected [--since REF]` as the git ref to compare with; `--since` alone is a mistake worth naming. */
export function affectedSince(flags: { affected?: boolean; since?: string }): string | undefined {
  if (flags.since !== undefined && !flags.affected) {
    throw new DockbuildError("BAD_INPUT", "--since needs --affected", { hint: "use --affected --since REF" });
  }
  return flags.affected ? (flags.since ?? "origin/main") : undefined;
}
