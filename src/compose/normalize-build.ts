import path from "node:path";
import type { Problem } from "../errors.js";
import type { BuildSecret, BuildSpec, Ulimit } from "./types.js";
import {
  get,
  isMap,
  isSeq,
  text,
  texts,
  toLocation,
  type Origin,
  type YEntry,
  type YMap,
  type YNode,
} from "./node.js";
import { isRemoteContext, resolveContext, resolveLocalPath, resolveNamedContext } from "./paths.js";

/** A file that must exist, checked by the loader (the pure step does no I/O). */
export interface FileCheck {
  path: string;
  origin: Origin;
  message: string;
  hint: string;
}

export interface NormalizeContext {
  /** The interpolation environment, for `args` given without a value. */
  env: Record<string, string>;
  /** Top-level `secrets:` of the merged model. */
  secrets: Map<string, YEntry>;
  home?: string;
}

export interface NormalizedBuild {
  spec: BuildSpec;
  problems: Problem[];
  fileChecks: FileCheck[];
}

/** Every later step reads one shape of build, with absolute paths, whatever form the file used. */
export function normalizeBuild(service: string, build: YMap, ctx: NormalizeContext): NormalizedBuild {
  const problems: Problem[] = [];
  const fileChecks: FileCheck[] = [];
  const key = `services.${service}.build`;
  const contextNode = get(build, "context");
  const context = resolveContext((contextNode ?? build).origin.dir, text(contextNode) ?? ".", ctx.home);
  const dockerfileInline = text(get(build, "dockerfile_inline"));
  const dockerfileNode = get(build, "dockerfile");
  if (dockerfileInline !== undefined && dockerfileNode !== undefined) {
    problems.push({
      location: toLocation(dockerfileNode.origin),
      message: `${key}: dockerfile and dockerfile_inline cannot be used together`,
      hint: "keep one of them",
    });
  }
  const spec: BuildSpec = {
    context,
    dockerfile: dockerfileInline === undefined ? dockerfilePath(context, text(dockerfileNode)) : undefined,
    dockerfileInline,
    target: text(get(build, "target")),
    args: {},
    additionalContexts: {},
    tags: texts(get(build, "tags")),
    labels: {},
    platforms: texts(get(build, "platforms")),
    cacheFrom: texts(get(build, "cache_from")),
    cacheTo: texts(get(build, "cache_to")),
    secrets: [],
    ssh: sshEntries(get(build, "ssh"), ctx.home),
    network: text(get(build, "network")),
    extraHosts: texts(get(build, "extra_hosts")),
    shmSize: text(get(build, "shm_size")),
    noCache: bool(get(build, "no_cache")),
    pull: bool(get(build, "pull")),
    ulimits: {},
    privileged: bool(get(build, "privileged")),
    entitlements: texts(get(build, "entitlements")),
  };
  for (const [name, entry] of entries(get(build, "args"))) {
    const fromEnv = isNull(entry.value) && Object.hasOwn(ctx.env, name) ? ctx.env[name] : undefined;
    spec.args[name] = text(entry.value) ?? fromEnv;
  }
  for (const [name, entry] of entries(get(build, "labels"))) spec.labels[name] = text(entry.value) ?? "";
  for (const [name, entry] of entries(get(build, "additional_contexts"))) {
    const value = text(entry.value);
    if (value === undefined) {
      problems.push({
        location: toLocation(entry.key),
        message: `${key}.additional_contexts.${name}: expected name=value`,
        hint: "give each named context a path, service:NAME, docker-image://REF or a URL",
      });
    } else spec.additionalContexts[name] = resolveNamedContext(entry.value.origin.dir, value, ctx.home);
  }
  for (const [name, entry] of entries(get(build, "ulimits"))) spec.ulimits[name] = ulimit(entry.value);
  const secrets = get(build, "secrets");
  if (isSeq(secrets)) {
    secrets.items.forEach((item, i) => {
      const secret = buildSecret(`${key}.secrets[${i}]`, item, ctx, problems, fileChecks);
      if (secret) spec.secrets.push(secret);
    });
  }
  return { spec, problems, fileChecks };
}

function dockerfilePath(context: string, dockerfile: string | undefined): string {
  const file = dockerfile ?? "Dockerfile";
  if (path.isAbsolute(file) || isRemoteContext(context)) return file;
  return path.resolve(context, file);
}

function buildSecret(
  key: string,
  item: YNode,
  ctx: NormalizeContext,
  problems: Problem[],
  fileChecks: FileCheck[],
): BuildSecret | undefined {
  const source = text(get(item, "source"));
  if (source === undefined) return undefined;
  const id = text(get(item, "target")) ?? source;
  const declared = ctx.secrets.get(source);
  if (!declared) {
    problems.push({
      location: toLocation(item.origin),
      message: `${key}: secret "${source}" is not declared in the top-level secrets`,
      hint: `add it under secrets: with file: or environment:`,
    });
    return undefined;
  }
  const fileNode = get(declared.value, "file");
  const file = text(fileNode);
  if (fileNode && file !== undefined) {
    const absolute = resolveLocalPath(fileNode.origin.dir, file, ctx.home);
    fileChecks.push({
      path: absolute,
      origin: fileNode.origin,
      message: `secrets.${source}.file: ${absolute} does not exist`,
      hint: `create the file, or give the secret with environment: instead`,
    });
    return { id, file: absolute };
  }
  const environment = text(get(declared.value, "environment"));
  if (environment !== undefined) return { id, environment };
  problems.push({
    location: toLocation(declared.key),
    message: `secrets.${source}: a build secret needs file: or environment:`,
    hint: "external and content secrets are only available to running containers",
  });
  return undefined;
}

/** `id=path` with a relative path resolves against the declaring file's folder, like other paths. */
function sshEntries(node: YNode | undefined, home: string | undefined): string[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item) => {
    const entry = text(item);
    if (entry === undefined) return [];
    const eq = entry.indexOf("=");
    if (eq < 0) return [entry];
    return [`${entry.slice(0, eq)}=${resolveLocalPath(item.origin.dir, entry.slice(eq + 1), home)}`];
  });
}

function ulimit(node: YNode): Ulimit {
  const value = (name: string): number => Number(text(get(node, name)) ?? text(node));
  return { soft: value("soft"), hard: value("hard") };
}

function entries(node: YNode | undefined): Map<string, YEntry> {
  return isMap(node) ? node.entries : new Map();
}

function isNull(node: YNode): boolean {
  return node.kind === "scalar" && node.value === null;
}

/** Booleans as Compose reads them, also from interpolated strings (`yes`, `on`, `true`). */
export function bool(node: YNode | undefined): boolean {
  const value = text(node)?.toLowerCase();
  return value === "true" || value === "yes" || value === "on" || value === "y";
}
