import path from "node:path";
import type { CacheKind } from "./cache-folders.js";
import type { ShellCommand, WordSpan } from "./shell-commands.js";

/** The package managers the rules know. */
export type ManagerId =
  "npm" | "pnpm" | "yarn" | "pip" | "poetry" | "uv" | "go" | "bundler" | "cargo" | "composer" | "apt" | "apk";

/** A command that downloads packages, as the rules see it. */
export interface InstallCommand {
  manager: ManagerId;
  /** The command as written (`npm ci --omit=dev`), shortened with "…" when long: what a message quotes. */
  display: string;
  /** Its words, and the variables set in front of it. */
  argv: string[];
  /** Where each word is written in the Dockerfile, when known. */
  spans?: WordSpan[];
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
  const display = command.text;
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
    spans: command.spans,
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
