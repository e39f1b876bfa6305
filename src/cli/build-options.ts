import os from "node:os";
import { Option, type Command } from "commander";

/** The options of a build (`dockbuild`, `dockbuild all`, `dockbuild build`). */
export interface BuildCliOptions {
  concurrency?: string;
  keepGoing?: boolean;
  progress: "auto" | "tty" | "plain" | "quiet" | "json";
  metadataFile?: string;
  cache: boolean;
  pull?: boolean;
  dryRun?: boolean;
  deps: boolean;
  backend?: "auto" | "buildx" | "docker";
  force?: boolean;
  affected?: boolean;
  since?: string;
  stage?: string;
  load?: boolean;
}

/**
 * Builds mostly wait on the engine, which already runs independent steps of one build in parallel; one build
 * per core (at least 2, at most 8) keeps the engine busy without making builds fight over CPU and disk.
 */
export function defaultConcurrency(): number {
  return Math.min(8, Math.max(2, os.availableParallelism()));
}

/** The flag table, typed against BuildCliOptions so that a new option cannot miss its flag. */
export const buildFlags: Record<keyof BuildCliOptions, () => Option> = {
  concurrency: () =>
    new Option(
      "-j, --concurrency <n>",
      `builds at once (default ${defaultConcurrency()}: one per core, 2 to 8 — the engine parallelizes inside each build too)`,
    ),
  keepGoing: () =>
    new Option("-k, --keep-going", "after a failure, build everything that does not depend on it"),
  progress: () =>
    new Option("--progress <mode>", "how to show progress")
      .choices(["auto", "tty", "plain", "quiet", "json"])
      .default("auto"),
  metadataFile: () => new Option("--metadata-file <file>", "write a JSON result per service to this file"),
  cache: () => new Option("--no-cache", "build without the engine's layer cache (cache mounts start empty)"),
  pull: () => new Option("--pull", "always look for newer versions of external base images"),
  dryRun: () => new Option("--dry-run", "print the engine commands that would run, build nothing"),
  deps: () => new Option("--no-deps", "do not build build-time dependencies; use their existing images"),
  backend: () =>
    new Option("--backend <name>", "force a backend instead of detecting one").choices([
      "auto",
      "buildx",
      "docker",
    ]),
  affected: () =>
    new Option(
      "--affected",
      "only services whose build inputs changed since --since (and what builds on them)",
    ),
  since: () => new Option("--since <ref>", "git ref to compare with for --affected (default origin/main)"),
  stage: () =>
    new Option(
      "--stage <name>",
      "build stage NAME (e.g. test) of each selected service that has one, instead of its target",
    ),
  load: () => new Option("--load", "with --stage: keep the stage's result as an image (default: build only)"),
  force: () =>
    new Option(
      "--force",
      "build even the services whose inputs have not changed since their image was built",
    ),
};

export function addBuildOptions(command: Command): Command {
  for (const make of Object.values(buildFlags)) command.addOption(make());
  return command;
}
