import path from "node:path";
import type { CacheConfig } from "../config/schema.js";
import { InputError, type Problem } from "../errors.js";

/** Where a build's layer cache is imported from and exported to. */
export type LayerCacheType =
  /** a folder per service on this machine (`type=local`); needs buildx with a container builder to export */
  | "local"
  /** a tag per service in a registry repository (`type=registry`); needs buildx with a container builder to export */
  | "registry"
  /** a scope per service in GitHub Actions' cache service (`type=gha`); buildx only */
  | "gha"
  /** inside each image (`BUILDKIT_INLINE_CACHE`), read back from the image's own reference; every backend */
  | "inline";

/** `min` caches the final stage's steps only; `max` every step of every stage the build ran. */
export type LayerCacheMode = "min" | "max";

/** The layer cache of a run, resolved from the config's `cache` key and the command line. */
export interface LayerCacheSettings {
  type: LayerCacheType;
  /** `local`: absolute folder that holds `<scope><service>` folders. */
  dir?: string;
  /** `registry`, optionally `inline`: a repository without tag; each service's cache is `<ref>:<scope><service>`. */
  ref?: string;
  /** Prefix of every per-service scope; "" by default. */
  scope: string;
  mode: LayerCacheMode;
}

/** Layer cache settings given for one run, over the config's `cache` key key by key. */
export interface LayerCacheOverrides {
  /** `none` turns the config's layer cache off. */
  type?: LayerCacheType | "none";
  dir?: string;
  ref?: string;
  scope?: string;
  mode?: LayerCacheMode;
}

export interface ResolveCacheInput {
  config?: CacheConfig;
  /** The config file the `cache` key came from; relative `cache.dir` is resolved against its folder. */
  configFile?: string;
  overrides: LayerCacheOverrides;
  /** How messages name each override (the command line passes its flags); default `cache.<key>`. */
  names?: Readonly<Record<keyof LayerCacheOverrides, string>>;
  /** A relative `dir` override is resolved against it. */
  cwd: string;
}

const DEFAULT_NAMES: Record<keyof LayerCacheOverrides, string> = {
  type: "cache.type",
  dir: "cache.dir",
  ref: "cache.ref",
  scope: "cache.scope",
  mode: "cache.mode",
};

// A repository name as the distribution spec allows it, with an optional host[:port]; no tag, no digest.
const REPOSITORY =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const SCOPE = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/;

/**
 * The layer cache asked for, command line over config key by key; undefined when none is. A `--cache-dir` or
 * `--cache-ref` alone implies its type. Every problem is reported at once, as bad input (exit 2).
 */
export function resolveCacheSettings(input: ResolveCacheInput): LayerCacheSettings | undefined {
  const { config = {}, overrides } = input;
  const names = input.names ?? DEFAULT_NAMES;
  const configDir = input.configFile ? path.dirname(input.configFile) : input.cwd;
  const from = (key: keyof LayerCacheOverrides & keyof CacheConfig) =>
    overrides[key] !== undefined
      ? names[key]
      : `cache.${key}${input.configFile ? ` in ${input.configFile}` : ""}`;
  if (overrides.type === "none") return undefined;

  const dir =
    overrides.dir !== undefined
      ? path.resolve(input.cwd, overrides.dir)
      : config.dir !== undefined
        ? path.resolve(configDir, config.dir)
        : undefined;
  const ref = overrides.ref ?? config.ref;
  const scope = overrides.scope ?? config.scope ?? "";
  const mode = overrides.mode ?? config.mode;
  const problems: Problem[] = [];
  const hintTypes = `use ${names.type} local|registry|gha|inline, or the config key cache.type`;

  let type = overrides.type ?? config.type;
  if (type === undefined) {
    if (dir !== undefined && ref !== undefined) {
      problems.push({
        message: "a cache folder and a cache registry are both given, and no cache type says which to use",
        hint: hintTypes,
      });
    } else if (dir !== undefined) type = "local";
    else if (ref !== undefined) type = "registry";
    else if (overrides.scope !== undefined || overrides.mode !== undefined) {
      problems.push({
        message: `${overrides.scope !== undefined ? names.scope : names.mode} needs a cache type`,
        hint: hintTypes,
      });
    }
  }
  if (type === "local" && dir === undefined) {
    problems.push({
      message: "the local layer cache needs a folder",
      hint: `use ${names.dir} DIR or the config key cache.dir (each service gets DIR/<service>)`,
    });
  }
  if (type === "registry" && ref === undefined) {
    problems.push({
      message: "the registry layer cache needs a repository",
      hint: `use ${names.ref} REPOSITORY (e.g. registry.example.com/acme/cache) or the config key cache.ref`,
    });
  }
  if (ref !== undefined && (type === "registry" || type === "inline") && !REPOSITORY.test(ref)) {
    problems.push({
      message: `${from("ref")}: "${ref}" is not a repository name`,
      hint:
        "give a repository without tag or digest, such as 127.0.0.1:5000/acme/cache; dockbuild tags it per " +
        "service (<ref>:<service>)",
    });
  }
  if (!SCOPE.test(scope)) {
    problems.push({
      message: `${from("scope")}: "${scope}" cannot start a tag or a folder name`,
      hint: "use letters, digits, _ . and - (not first), e.g. main-",
    });
  }
  if (problems.length > 0) throw new InputError(problems);
  if (type === undefined) return undefined;
  return {
    type,
    ...(type === "local" && dir !== undefined ? { dir } : {}),
    ...((type === "registry" || type === "inline") && ref !== undefined ? { ref } : {}),
    scope,
    mode: mode ?? (type === "inline" ? "min" : "max"),
  };
}
