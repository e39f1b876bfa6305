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
  sizes?: boolean;
  affected?: boolean;
  since?: string;
  stage?: string;
  load?: boolean;
  /** Layer cache per service (overrides the config's `cache` key by key); see src/cache/settings.ts. */
  cacheType?: "local" | "registry" | "gha" | "inline" | "none";
  cacheDir?: string;
  cacheRef?: string;
  cacheScope?: string;
  cacheMode?: "min" | "max";
  /** Push every tag of each image after it is built. */
  push?: boolean;
  /** Seed cache mounts from this folder before the builds, save them there after. */
  cacheMounts?: string;
}

/**
 * A build spends much of its time waiting (on downloads, on the engine's own scheduling) and the engine shares
 * the CPU among the steps of every build it runs, so four builds per core keep it busy; the cap of 16 keeps
 * memory and disk use in check on large machines.
 */
export function defaultConcurrency(): number {
  return Math.min(16, Math.max(4, 4 * os.availableParallelism()));
}

/** The flag table, typed against BuildCliOptions so that a new option cannot miss its flag. */
export const buildFlags: Record<keyof BuildCliOptions, () => Option> = {
  concurrency: () =>
    new Option(
      "-j, --concurrency <n>",
      `builds at once (default ${defaultConcurrency()}: four per core, 4 to 16 — builds mostly wait, and the engine shares the CPU among them)`,
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
  sizes: () =>
    new Option(
      "--sizes",
      "also measure each service's builder stage and show it next to the final image (one fully cached build each)",
    ),
  force: () =>
    new Option(
      "--force",
      "build even the services whose inputs have not changed since their image was built",
    ),
  cacheType: () =>
    new Option(
      "--cache-type <type>",
      "layer cache per service: local (DIR/<service>), registry (REF:<service>), gha (scope <service>), inline " +
        "(in the image, read back from its own tag, or REF:<service> with --cache-ref); none turns the config's off. " +
        "The docker backend exports inline only",
    ).choices(["local", "registry", "gha", "inline", "none"]),
  cacheDir: () =>
    new Option("--cache-dir <dir>", "folder for the local layer cache (implies --cache-type local)"),
  cacheRef: () =>
    new Option(
      "--cache-ref <repository>",
      "registry repository for the layer cache, e.g. 127.0.0.1:5000/acme/cache (implies --cache-type registry)",
    ),
  cacheScope: () =>
    new Option("--cache-scope <prefix>", "prefix of every per-service cache scope, e.g. main-"),
  cacheMode: () =>
    new Option(
      "--cache-mode <mode>",
      "max: cache every stage's steps (default); min: the final stage's",
    ).choices(["min", "max"]),
  push: () =>
    new Option(
      "--push",
      "push every tag of each image after it is built or found up to date (inline cache with --cache-ref pushes " +
        "its REF:<service> tag even without --push)",
    ),
  cacheMounts: () =>
    new Option(
      "--cache-mounts <dir>",
      "seed the builds' cache mounts from DIR first, save them to DIR after (see `dockbuild cache`)",
    ),
};

export function addBuildOptions(command: Command): Command {
  for (const make of Object.values(buildFlags)) command.addOption(make());
  return command;
}
