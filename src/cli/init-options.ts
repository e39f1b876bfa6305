import { Option, type Command } from "commander";

/** The options of `dockbuild init`. */
export interface InitCliOptions {
  dryRun?: boolean;
  force?: boolean;
}

/** The flag table, typed against InitCliOptions so that a new option cannot miss its flag. */
export const initFlags: Record<keyof InitCliOptions, () => Option> = {
  dryRun: () => new Option("--dry-run", "print the files that would be written, write nothing"),
  force: () =>
    new Option(
      "--force",
      "also replace existing Dockerfiles and .dockerignore files, and compose services of the same name",
    ),
};

export function addInitOptions(command: Command): Command {
  for (const make of Object.values(initFlags)) command.addOption(make());
  return command;
}
