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
import { checkImageReference, flag, nonEmpty, size } from "./scalar-values.js";

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
  /** Per service, the files that define or feed it. */
  sources: Map<string, Set<string>>;
}

export interface NormalizedBuild {
  spec: BuildSpec;
  problems: Problem[];
  warnings: string[];
  fileChecks: FileCheck[];
}

/** Every later step reads one shape of build, with absolute paths, whatever form the file used. */
export function normalizeBuild(
  service: string,
  build: YMap,
  platforms: string[],
  ctx: NormalizeContext,
): NormalizedBuild {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const fileChecks: FileCheck[] = [];
  const key = `services.${service}.build`;
  const contextNode = get(build, "context");
  const context = resolveContext((contextNode ?? build).origin.dir, nonEmpty(contextNode) ?? ".", ctx.home);
  // A value that interpolates to "" is no value, as in Compose: `dockerfile: ${UNSET}` builds `Dockerfile`.
  const dockerfileInline = nonEmpty(get(build, "dockerfile_inline"));
  const dockerfileNode = get(build, "dockerfile");
  const dockerfile = nonEmpty(dockerfileNode);
  if (dockerfileInline !== undefined && dockerfileNode !== undefined && dockerfile !== undefined) {
    problems.push({
      location: toLocation(dockerfileNode.origin),
      message: `${key}: dockerfile and dockerfile_inline cannot be used together`,
      hint: "keep one of them",
    });
  }
  const spec: BuildSpec = {
    context,
    dockerfile: dockerfileInline === undefined ? dockerfilePath(context, dockerfile) : undefined,
    dockerfileInline,
    target: nonEmpty(get(build, "target")),
    args: {},
    additionalContexts: {},
    tags: imageReferences(`${key}.tags`, get(build, "tags"), problems, warnings),
    labels: {},
    platforms,
    cacheFrom: texts(get(build, "cache_from")),
    cacheTo: texts(get(build, "cache_to")),
    secrets: [],
    ssh: sshEntries(get(build, "ssh"), ctx.home),
    network: nonEmpty(get(build, "network")),
    extraHosts: texts(get(build, "extra_hosts")),
    shmSize: size(`${key}.shm_size`, get(build, "shm_size"), problems),
    noCache: flag(`${key}.no_cache`, get(build, "no_cache"), problems),
    pull: flag(`${key}.pull`, get(build, "pull"), problems),
    ulimits: {},
    privileged: flag(`${key}.privileged`, get(build, "privileged"), problems),
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
  for (const [name, entry] of entries(get(build, "ulimits"))) {
    spec.ulimits[name] = ulimit(`${key}.ulimits.${name}`, entry.value, problems);
  }
  const secrets = get(build, "secrets");
  if (isSeq(secrets)) {
    secrets.items.forEach((item, i) => {
      const secret = buildSecret(`${key}.secrets[${i}]`, item, ctx, problems, fileChecks);
      if (secret) spec.secrets.push(secret);
    });
  }
  return { spec, problems, warnings, fileChecks };
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
      message: `secrets.${source}.file: ${absolute}`,
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

function ulimit(key: string, node: YNode, problems: Problem[]): Ulimit {
  const read = (part: YNode, name: string): number => {
    const found = text(part);
    if (found !== undefined && /^[+-]?\d+$/.test(found)) return Number(found);
    // A value that is not a string is the schema's to report.
    if (part.kind !== "scalar" || typeof part.value !== "string") return Number.NaN;
    problems.push({
      location: toLocation(part.origin),
      message: `${key}${name}: ${JSON.stringify(found ?? null)} is not an integer`,
      hint: "write a whole number",
    });
    return Number.NaN;
  };
  const soft = get(node, "soft") ?? node;
  const hard = get(node, "hard") ?? node;
  // The short form `nofile: 1024` became `{soft: 1024, hard: 1024}` with one node for both.
  if (soft === hard) {
    const both = read(soft, "");
    return { soft: both, hard: both };
  }
  return { soft: read(soft, ".soft"), hard: read(hard, ".hard") };
}

/** `build.tags`: each one an image reference the Docker client accepts, checked at its own line. */
function imageReferences(
  key: string,
  node: YNode | undefined,
  problems: Problem[],
  warnings: string[],
): string[] {
  if (!isSeq(node)) return [];
  const refs: string[] = [];
  node.items.forEach((item, i) => {
    const ref = text(item);
    if (ref !== undefined && checkImageReference(`${key}[${i}]`, item, problems, warnings)) refs.push(ref);
  });
  return refs;
}

function entries(node: YNode | undefined): Map<string, YEntry> {
  return isMap(node) ? node.entries : new Map();
}

function isNull(node: YNode): boolean {
  return node.kind === "scalar" && node.value === null;
}
