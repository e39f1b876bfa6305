import { Option, type Command } from "commander";

/** The options of `dockbuild check`. */
export interface CheckCliOptions {
  format: "text" | "json" | "sarif";
  strict?: boolean;
  sizes?: boolean;
  deps?: boolean;
  output?: string;
}

/** The flag table, typed against CheckCliOptions so that a new option cannot miss its flag. */
export const checkFlags: Record<keyof CheckCliOptions, () => Option> = {
  format: () =>
    new Option("--format <format>", "report format (sarif: for code-scanning upload)")
      .choices(["text", "json", "sarif"])
      .default("text"),
  strict: () => new Option("--strict", "fail (exit 1) on warnings too, not only on errors"),
  sizes: () =>
    new Option(
      "--sizes",
      "also build each final image and its builder stage (from the layer cache after a build) and flag final images above half their builder stage or above check.maxSize",
    ),
  deps: () => new Option("--deps", "also check the services the named ones need at build time"),
  output: () => new Option("-o, --output <file>", "write the report to FILE instead of stdout"),
};

export function addCheckOptions(command: Command): Command {
  for (const make of Object.values(checkFlags)) command.addOption(make());
  return command;
}
