import path from "node:path";
import type { ShellCommand } from "./shell-commands.js";

/** A package manager's download cache, one folder a `RUN --mount=type=cache` can keep between builds. */
export type CacheKind =
  /** npm's `_cacache` (`npm_config_cache`, default `~/.npm`) */
  | "npm"
  /** pnpm's content-addressed store */
  | "pnpm"
  /** Yarn 1's cache (`/usr/local/share/.cache/yarn` as root) */
  | "yarn"
  /** Yarn 2+'s global cache (`~/.yarn/berry/cache`) */
  | "yarn-berry"
  /** pip's HTTP and wheel cache (`~/.cache/pip`) */
  | "pip"
  /** Poetry's cache (`~/.cache/pypoetry`) */
  | "poetry"
  /** uv's cache (`~/.cache/uv`) */
  | "uv"
  /** Go's module cache (`$GOPATH/pkg/mod`) */
  | "go-mod"
  /** Go's build cache (`~/.cache/go-build`) */
  | "go-build"
  /** downloaded gems (`$GEM_HOME/cache`) */
  | "bundler"
  /** Cargo's registry (`$CARGO_HOME/registry`) */
  | "cargo"
  /** Composer's cache */
  | "composer"
  /** apt's downloaded packages (`/var/cache/apt`), locked by apt */
  | "apt-cache"
  /** apt's package lists (`/var/lib/apt`), locked by apt */
  | "apt-lists"
  /** apk's cache (`/etc/apk/cache`), locked by apk */
  | "apk";

/** Where a cache is, given the variables in scope and the user's home folder. */
interface CacheSpec {
  /** Path fragments that name this cache wherever it is mounted. */
  markers: string[];
  /** The folder for these variables (`env`) and this home folder. */
  path(env: Record<string, string | undefined>, home: string): string;
  /** Whether the manager locks the folder, so that builds must take turns (`sharing=locked`). */
  locked?: boolean;
}

const xdgCache = (env: Record<string, string | undefined>, home: string) =>
  env.XDG_CACHE_HOME ?? `${home}/.cache`;

export const CACHES: Record<CacheKind, CacheSpec> = {
  npm: {
    markers: ["/.npm"],
    path: (env, home) => env.npm_config_cache ?? env.NPM_CONFIG_CACHE ?? `${home}/.npm`,
  },
  pnpm: {
    markers: ["pnpm/store", "/.pnpm-store"],
    path: (env, home) =>
      env.npm_config_store_dir ??
      (env.PNPM_HOME
        ? `${env.PNPM_HOME}/store`
        : `${env.XDG_DATA_HOME ?? `${home}/.local/share`}/pnpm/store`),
  },
  yarn: {
    markers: ["/.cache/yarn", "/yarn/v6", "/.yarn-cache"],
    path: (env, home) =>
      env.YARN_CACHE_FOLDER ?? (home === "/root" ? "/usr/local/share/.cache/yarn" : `${home}/.cache/yarn`),
  },
  "yarn-berry": {
    markers: ["/berry/cache", "/.yarn/cache"],
    path: (env, home) => `${env.YARN_GLOBAL_FOLDER ?? `${home}/.yarn/berry`}/cache`,
  },
  pip: { markers: ["/.cache/pip"], path: (env, home) => env.PIP_CACHE_DIR ?? `${xdgCache(env, home)}/pip` },
  poetry: {
    markers: ["/pypoetry"],
    path: (env, home) => env.POETRY_CACHE_DIR ?? `${xdgCache(env, home)}/pypoetry`,
  },
  uv: { markers: ["/.cache/uv"], path: (env, home) => env.UV_CACHE_DIR ?? `${xdgCache(env, home)}/uv` },
  "go-mod": {
    markers: ["/pkg/mod"],
    path: (env) => env.GOMODCACHE ?? `${env.GOPATH ?? "/go"}/pkg/mod`,
  },
  "go-build": {
    markers: ["/go-build"],
    path: (env, home) => env.GOCACHE ?? `${xdgCache(env, home)}/go-build`,
  },
  bundler: {
    markers: ["/bundle/cache", "/.bundle/cache", "/.gem"],
    path: (env) => `${env.GEM_HOME ?? env.BUNDLE_PATH ?? "/usr/local/bundle"}/cache`,
  },
  cargo: {
    markers: ["/.cargo/registry", "/cargo/registry"],
    path: (env) => `${env.CARGO_HOME ?? "/usr/local/cargo"}/registry`,
  },
  composer: {
    markers: ["/composer/cache", "/.composer/cache", "/.cache/composer"],
    path: (env, home) =>
      env.COMPOSER_CACHE_DIR ??
      (env.COMPOSER_HOME ? `${env.COMPOSER_HOME}/cache` : `${xdgCache(env, home)}/composer`),
  },
  "apt-cache": { markers: ["/var/cache/apt"], path: () => "/var/cache/apt", locked: true },
  "apt-lists": { markers: ["/var/lib/apt"], path: () => "/var/lib/apt", locked: true },
  apk: { markers: ["/etc/apk/cache", "/var/cache/apk"], path: () => "/etc/apk/cache", locked: true },
};

/** The package managers the rules know. */
export type ManagerId =
  "npm" | "pnpm" | "yarn" | "pip" | "poetry" | "uv" | "go" | "bundler" | "cargo" | "composer" | "apt" | "apk";

/** A command that downloads packages, as the rules see it. */
export interface InstallCommand {
  manager: ManagerId;
  /** The command as written (`npm ci --omit=dev`). */
  display: string;
  /** Its words, and the variables set in front of it. */
  argv: string[];
  env: Record<string, string>;
  /** It reads only the manifests: a copy of the sources above it re-runs it on every source change. */
  dependencyInstall: boolean;
  /** The caches it downloads into. */
  caches: CacheKind[];
  /** The files to copy before it, most important first (the lock files it reads). */
  manifests: string[];
}

/** What the build context tells about a Node project, where it is known. */
export interface InstallContext {
  /** Yarn 2 or newer (a `.yarnrc.yml` in the context). */
  yarnBerry?: boolean;
}

const NPM_INSTALL = new Set(["ci", "install", "i", "add", "isntall", "clean-install", "install-clean"]);
const PNPM_INSTALL = new Set(["install", "i", "add", "fetch"]);
const YARN_INSTALL = new Set(["install", "add"]);

/** Recognize a command that downloads packages; undefined for anything else. */
export function matchInstall(
  command: ShellCommand,
  context: InstallContext = {},
): InstallCommand | undefined {
  const [program = "", ...args] = command.argv;
  const name = path.posix.basename(program);
  const display = command.argv.join(" ");
  const positional = args.filter((a) => !a.startsWith("-"));
  const sub = positional[0];
  const make = (
    manager: ManagerId,
    dependencyInstall: boolean,
    caches: CacheKind[],
    manifests: string[],
  ): InstallCommand => ({
    manager,
    display,
    argv: command.argv,
    env: command.env,
    dependencyInstall,
    caches,
    manifests,
  });

  if (name === "npm" && sub !== undefined && NPM_INSTALL.has(sub)) {
    const global = args.includes("-g") || args.includes("--global");
    const packages = positional.length > 1;
    return make(
      "npm",
      !global && !packages && sub !== "add",
      ["npm"],
      ["package.json", "package-lock.json", "npm-shrinkwrap.json", ".npmrc"],
    );
  }
  if (name === "pnpm" && sub !== undefined && PNPM_INSTALL.has(sub)) {
    const packages = positional.length > 1 || sub === "add";
    const manifests = sub === "fetch" ? ["pnpm-lock.yaml", ".npmrc"] : ["package.json", "pnpm-lock.yaml"];
    return make("pnpm", !packages, ["pnpm"], [...manifests, "pnpm-workspace.yaml", ".npmrc"]);
  }
  if (name === "yarn" && (sub === undefined || YARN_INSTALL.has(sub))) {
    const packages = sub === "add" || positional.length > 1;
    return make(
      "yarn",
      !packages,
      [context.yarnBerry ? "yarn-berry" : "yarn"],
      ["package.json", "yarn.lock", ...(context.yarnBerry ? [".yarnrc.yml", ".yarn/"] : [])],
    );
  }
  const pip = pipArgs(name, args);
  if (pip && pip[0] === "install") {
    const requirement = optionValue(pip, "-r", "--requirement");
    return make("pip", requirement !== undefined, ["pip"], [requirement ?? "requirements.txt"]);
  }
  if (name === "poetry" && sub === "install") {
    return make("poetry", true, ["poetry"], ["pyproject.toml", "poetry.lock"]);
  }
  if (name === "uv" && (sub === "sync" || (sub === "pip" && positional[1] === "install"))) {
    const requirement = optionValue(args, "-r", "--requirement");
    const dependencyInstall = sub === "sync" || requirement !== undefined;
    const manifests = sub === "sync" ? ["pyproject.toml", "uv.lock"] : [requirement ?? "requirements.txt"];
    return make("uv", dependencyInstall, ["uv"], manifests);
  }
  if (name === "go" && sub === "mod" && positional[1] === "download") {
    return make("go", true, ["go-mod"], ["go.mod", "go.sum"]);
  }
  if (name === "go" && (sub === "build" || sub === "install" || sub === "test" || sub === "run")) {
    return make("go", false, ["go-mod", "go-build"], ["go.mod", "go.sum"]);
  }
  if (name === "bundle" && (sub === undefined || sub === "install")) {
    return make("bundler", true, ["bundler"], ["Gemfile", "Gemfile.lock"]);
  }
  if (name === "cargo" && (sub === "fetch" || sub === "build" || sub === "install")) {
    return make("cargo", sub === "fetch", ["cargo"], ["Cargo.toml", "Cargo.lock"]);
  }
  if (name === "composer" && sub === "install") {
    return make("composer", true, ["composer"], ["composer.json", "composer.lock"]);
  }
  if ((name === "apt-get" || name === "apt") && sub === "install") {
    return make("apt", false, ["apt-cache", "apt-lists"], []);
  }
  if (name === "apk" && sub === "add") return make("apk", false, ["apk"], []);
  return undefined;
}

/** The words after `pip`, `pip3`, `python -m pip`; undefined when the command is not pip. */
function pipArgs(name: string, args: string[]): string[] | undefined {
  const rest = /^pip[0-9.]*$/.test(name)
    ? args
    : /^python[0-9.]*$/.test(name) && args[0] === "-m" && /^pip[0-9.]*$/.test(args[1] ?? "")
      ? args.slice(2)
      : undefined;
  if (rest === undefined) return undefined;
  const first = rest.findIndex((a) => !a.startsWith("-"));
  return first < 0 ? [] : rest.slice(first);
}

/** The value of `-r FILE`, `-rFILE`, `--requirement FILE` or `--requirement=FILE`. */
export function optionValue(args: string[], short: string, long: string): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg === short || arg === long) return args[i + 1];
    if (arg.startsWith(`${long}=`)) return arg.slice(long.length + 1);
    if (arg.startsWith(short) && !arg.startsWith("--") && arg.length > short.length)
      return arg.slice(short.length);
  }
  return undefined;
}
