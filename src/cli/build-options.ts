import { Option, type Command } from "commander";
import { DockbuildError } from "../errors.js";
import type { LayerCacheOverrides } from "../plan/index.js";
import { parseDuration } from "../util/duration.js";
import type { BuildOptions } from "../session/index.js";
import { affectedSince, globalToProjectOptions, type GlobalOptions } from "./global-options.js";

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
  /** Only these of the configured builders (repeatable). */
  builder?: string[];
  /** Stop and fail a build that runs longer than this duration. */
  timeout?: string;
  /** Warn when a build prints nothing for this long. */
  stallWarning?: string;
}

/** The flag table, typed against BuildCliOptions so that a new option cannot miss its flag. */
export const buildFlags: Record<keyof BuildCliOptions, () => Option> = {
  concurrency: () =>
    new Option(
      "-j, --concurrency <n>",
      "builds at once (default: no limit — builds that are ready together start together, in one engine session, and the engine shares the CPU among them)",
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
  builder: () =>
    builderOption("build only on this of the config's builders (repeatable; default: every one)"),
  timeout: () =>
    new Option(
      "--timeout <duration>",
      "stop and fail a build that runs longer than this, e.g. 90s, 10m, 1h30m (default: config timeout, else none)",
    ),
  stallWarning: () =>
    new Option(
      "--stall-warning <duration>",
      "warn when a build prints nothing for this long, and say whether the engine still answers (default 60s; 0: never)",
    ),
};

/** `--builder NAME`, repeatable: restrict a run (or a plan) to some of the configured builders. */
export function builderOption(description: string): Option {
  return new Option("--builder <name>", description).argParser(
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );
}

export function addBuildOptions(command: Command): Command {
  for (const make of Object.values(buildFlags)) command.addOption(make());
  return command;
}

/** How messages name the cache options: by the flags that set them. */
export const CACHE_FLAG_NAMES: Readonly<Record<keyof LayerCacheOverrides, string>> = {
  type: "--cache-type",
  dir: "--cache-dir",
  ref: "--cache-ref",
  scope: "--cache-scope",
  mode: "--cache-mode",
};

/** The build command's flags as the core's options; only the spelling of a flag is checked here. */
export function toBuildOptions(names: string[], flags: GlobalOptions & BuildCliOptions): BuildOptions {
  return {
    ...globalToProjectOptions(flags),
    services: names,
    noDeps: !flags.deps,
    ...optional("affectedSince", affectedSince(flags)),
    ...optional("stage", flags.stage),
    load: flags.load === true,
    ...optional("concurrency", parseConcurrency(flags.concurrency)),
    keepGoing: flags.keepGoing === true,
    noCache: !flags.cache,
    pull: flags.pull === true,
    force: flags.force === true,
    ...optional("backend", flags.backend),
    cache: {
      ...optional("type", flags.cacheType),
      ...optional("dir", flags.cacheDir),
      ...optional("ref", flags.cacheRef),
      ...optional("scope", flags.cacheScope),
      ...optional("mode", flags.cacheMode),
    },
    cacheNames: CACHE_FLAG_NAMES,
    push: flags.push === true,
    ...optional("cacheMounts", flags.cacheMounts),
    ...optional("builders", flags.builder),
    sizes: flags.sizes === true,
    ...optional("metadataFile", flags.metadataFile),
    ...optional("timeoutMs", parseDurationFlag("--timeout", flags.timeout)),
    ...optional("stallWarningMs", parseDurationFlag("--stall-warning", flags.stallWarning)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function parseDurationFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new DockbuildError(
      "BAD_INPUT",
      `${flag} takes a duration such as 90s, 10m or 1h30m, not "${value}"`,
      {
        hint: "a bare number is seconds; 0 turns the limit off",
      },
    );
  }
  return ms;
}

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new DockbuildError(
      "BAD_INPUT",
      `--concurrency must be a whole number of at least 1, not "${value}"`,
    );
  }
  return n;
}
