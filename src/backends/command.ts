import { rewriteReferences } from "../dockerfile/index.js";
import type { BuildJob } from "../plan/types.js";
import { planNamedContexts } from "./named-contexts.js";
import type { EngineInfo } from "./types.js";
import { isAtLeast } from "./version.js";

export interface BuildCommandOptions {
  progress: "plain";
}

/** One engine build as a process: what to spawn, with what environment and stdin. No secret value is ever in it. */
export interface BuildCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  stdin?: string;
  /** What this backend cannot honor, naming the service and the Compose key. */
  warnings: string[];
}

interface FlagContext {
  job: BuildJob;
  engine: EngineInfo;
  buildx: boolean;
  /** Whether the Dockerfile goes on stdin. */
  stdin: boolean;
  warn(composeKey: string, message: string): void;
}

type FlagRule<K extends keyof BuildJob> = (value: BuildJob[K], ctx: FlagContext) => string[];

const none = (): string[] => [];
const repeat = (flag: string, values: readonly string[]): string[] => values.flatMap((v) => [flag, v]);
const pairs = (record: Record<string, string>): string[] =>
  Object.entries(record).map(([k, v]) => `${k}=${v}`);

/**
 * Every BuildJob field and the flags it becomes, in argv order. Typed against BuildJob, so that a new field
 * cannot be forgotten here: it either becomes flags or says why not.
 */
type FlagTable = { [K in keyof Required<BuildJob>]: FlagRule<K> };

const JOB_FLAGS: FlagTable = {
  id: none,
  key: none,
  services: none,
  // Positional, appended last.
  context: none,
  dockerfile: (file, ctx) => (ctx.stdin ? ["-f", "-"] : file !== undefined ? ["-f", file] : []),
  // Sent on stdin (see `dockerfile`).
  dockerfileInline: none,
  // Read by the loader; sent on stdin when rewritten for an engine without named contexts.
  dockerfileText: none,
  target: (target) => (target !== undefined ? ["--target", target] : []),
  // Stages are the planner's business; the engine runs what the target needs.
  stages: none,
  args: (args) => repeat("--build-arg", pairs(args)),
  // A build that is not loaded (a `--stage` run) must not move the service's tags onto another stage.
  tags: (tags, ctx) => (ctx.job.load ? repeat("-t", tags) : []),
  labels: (labels) => repeat("--label", pairs(labels)),
  platforms: (platforms, ctx) => {
    if (platforms.length === 0) return [];
    if (ctx.buildx || platforms.length === 1) return ["--platform", platforms.join(",")];
    ctx.warn(
      "platforms",
      `lists ${platforms.join(", ")}; the docker backend builds one platform: building ${platforms[0]} only`,
    );
    return ["--platform", platforms[0] as string];
  },
  namedContexts: (_contexts, ctx) => {
    const plan = planNamedContexts(ctx.job, ctx.engine);
    for (const message of [...plan.warnings, ...plan.errors]) ctx.warn("", message);
    return plan.buildContextArgs;
  },
  secrets: (secrets, ctx) =>
    secrets.flatMap((secret) => {
      if (secret.file !== undefined) return ["--secret", `id=${secret.id},src=${secret.file}`];
      if (secret.environment !== undefined) return ["--secret", `id=${secret.id},env=${secret.environment}`];
      ctx.warn("secrets", `${secret.id} has neither a file nor an environment variable; not passed`);
      return [];
    }),
  ssh: (ssh) => repeat("--ssh", ssh),
  network: (network) => (network !== undefined ? ["--network", network] : []),
  extraHosts: (hosts) => repeat("--add-host", hosts),
  shmSize: (size) => (size !== undefined ? ["--shm-size", size] : []),
  ulimits: (ulimits) =>
    repeat(
      "--ulimit",
      Object.entries(ulimits).map(([name, u]) => `${name}=${u.soft}:${u.hard}`),
    ),
  privileged: (privileged, ctx) => {
    if (!privileged) return [];
    if (ctx.buildx) return ["--allow", "security.insecure"];
    ctx.warn("privileged", "is not supported by the docker backend (`docker build` has no --allow); ignored");
    return [];
  },
  entitlements: (entitlements, ctx) => {
    const extra = entitlements.filter((e) => !(ctx.job.privileged && e === "security.insecure"));
    if (extra.length === 0) return [];
    if (ctx.buildx) return repeat("--allow", extra);
    ctx.warn(
      "entitlements",
      `${extra.join(", ")}: the docker backend (\`docker build\`) has no --allow; ignored`,
    );
    return [];
  },
  noCache: (noCache) => (noCache ? ["--no-cache"] : []),
  pull: (pull) => (pull ? ["--pull"] : []),
  cacheFrom: (sources, ctx) =>
    ctx.buildx ? repeat("--cache-from", sources) : repeat("--cache-from", dockerCacheFrom(sources, ctx)),
  cacheTo: (targets, ctx) => (ctx.buildx ? buildxCacheTo(targets, ctx) : dockerCacheTo(targets, ctx)),
  // Ordering is the scheduler's business.
  dependsOn: none,
  load: (load, ctx) => (ctx.buildx && load ? ["--load"] : []),
  // Pushed after the build, one `docker push` per tag (see push.ts).
  push: none,
  // In the labels already; the reason for none is the plan's to show.
  inputHash: none,
  unhashed: none,
  // What the plan and the up-to-date check read; the engine finds them itself.
  externalImages: none,
  cacheMounts: none,
  sizeProbe: none,
};

/**
 * The command line for one build; pure, so that what dockbuild would run can be read and tested. Where the
 * engine lacks named contexts and the job has image contexts, the Dockerfile goes on stdin (`-f -`), its
 * references to those contexts rewritten into the images they stand for.
 */
export function buildCommand(job: BuildJob, engine: EngineInfo, options: BuildCommandOptions): BuildCommand {
  const warnings: string[] = [];
  const stdin = dockerfileOnStdin(job, engine);
  const ctx: FlagContext = {
    job,
    engine,
    buildx: engine.backend === "buildx",
    stdin: stdin !== undefined,
    warn: (key, message) =>
      warnings.push(key ? `service ${job.key}: build.${composeKey(key)} ${message}` : message),
  };
  const flags = (Object.keys(JOB_FLAGS) as (keyof BuildJob)[]).flatMap((key) => applyRule(key, job, ctx));
  const client = buildInvocation(engine);
  const args = [...client.args, `--progress=${options.progress}`, ...flags, job.context];
  return { file: client.file, args, env: client.env, ...(stdin !== undefined ? { stdin } : {}), warnings };
}

/**
 * The Dockerfile text a build sends on stdin: `dockerfile_inline`, or, for image contexts on an engine without
 * named contexts, the Dockerfile with its references to them rewritten. Undefined when the file is read by path.
 */
export function dockerfileOnStdin(job: BuildJob, engine: EngineInfo): string | undefined {
  const { rewrites } = planNamedContexts(job, engine);
  if (Object.keys(rewrites).length === 0 || job.dockerfileText === undefined) return job.dockerfileInline;
  return rewriteReferences(job.dockerfileText, rewrites, {
    buildArgs: job.args,
    platform: { target: job.platforms[0] },
  });
}

function applyRule<K extends keyof BuildJob>(key: K, job: BuildJob, ctx: FlagContext): string[] {
  const rule: FlagTable[K] = JOB_FLAGS[key];
  return rule(job[key], ctx);
}

/** What of the engine decides how a build process starts. */
export type InvocationEngine = Pick<
  EngineInfo,
  "backend" | "dockerBinary" | "buildxPlugin" | "buildxDriver" | "buildkitVersion" | "serverVersion"
>;

/**
 * How a build starts on this backend: the buildx plugin run directly (`docker-buildx build`: what `docker buildx
 * build` runs, without the client and its metadata call in between) when detection found the client's plugin,
 * else `docker buildx build`; or `docker build` with BuildKit switched on.
 */
export function buildInvocation(engine: InvocationEngine): {
  file: string;
  args: string[];
  env: Record<string, string>;
} {
  if (engine.backend === "docker")
    return { file: engine.dockerBinary, args: ["build"], env: { DOCKER_BUILDKIT: "1" } };
  const env: Record<string, string> = ignoresGitInfo(engine) ? { BUILDX_GIT_INFO: "0" } : {};
  return engine.buildxPlugin !== undefined
    ? { file: engine.buildxPlugin, args: ["build"], env }
    : { file: engine.dockerBinary, args: ["buildx", "build"], env };
}

/**
 * Whether the builder's BuildKit predates provenance (0.11), the only use of the git facts buildx gathers for
 * every build (three `git` runs in the context): its docker driver on an engine older than 23.0, or a BuildKit
 * older than 0.11. buildx is then told not to gather them (`BUILDX_GIT_INFO=0`); the image is the same.
 */
export function ignoresGitInfo(
  engine: Pick<EngineInfo, "buildxDriver" | "buildkitVersion" | "serverVersion">,
): boolean {
  if (engine.buildkitVersion !== undefined) return !isAtLeast(engine.buildkitVersion, "0.11");
  return engine.buildxDriver === "docker" && !isAtLeast(engine.serverVersion, "23.0");
}

/** Compose spells the keys in snake_case: `cacheTo` → `cache_to`, `additional_contexts` stays. */
function composeKey(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `docker build --cache-from` takes image references only. */
function dockerCacheFrom(sources: readonly string[], ctx: FlagContext): string[] {
  return sources.flatMap((source) => {
    const attrs = parseCsv(source);
    if (attrs === undefined) return [source];
    if (attrs.type === "registry" && attrs.ref) return [attrs.ref];
    ctx.warn("cache_from", `${source}: the docker backend imports cache from images only; ignored`);
    return [];
  });
}

/** `docker build` cannot export cache, except inline in the image (a build arg). */
function dockerCacheTo(targets: readonly string[], ctx: FlagContext): string[] {
  return targets.flatMap((target) => {
    if (parseCsv(target)?.type === "inline") return ["--build-arg", "BUILDKIT_INLINE_CACHE=1"];
    ctx.warn("cache_to", `${target}: the docker backend cannot export cache (only type=inline); ignored`);
    return [];
  });
}

/** The buildx docker driver exports inline cache only (other types need the containerd image store). */
function buildxCacheTo(targets: readonly string[], ctx: FlagContext): string[] {
  return targets.flatMap((target) => {
    if (ctx.engine.buildxDriver !== "docker" || parseCsv(target)?.type === "inline")
      return ["--cache-to", target];
    ctx.warn(
      "cache_to",
      `${target}: the buildx docker driver exports only inline cache (others need the containerd image store or a ` +
        "docker-container builder: `docker buildx create --use`); ignored",
    );
    return [];
  });
}

/** `type=registry,ref=x` → { type, ref }; undefined for a bare image reference. */
function parseCsv(value: string): Record<string, string> | undefined {
  if (!value.includes("=")) return undefined;
  const attrs: Record<string, string> = {};
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) attrs[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return attrs;
}

/** The command as a person would type it, for logs and failure reports. */
export function formatCommand(command: Pick<BuildCommand, "file" | "args" | "env" | "stdin">): string {
  const env = Object.entries(command.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  const line = [...env, command.file, ...command.args]
    .map((p, i) => (i < env.length ? p : shellQuote(p)))
    .join(" ");
  return command.stdin !== undefined ? `${line} # Dockerfile text on stdin` : line;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
