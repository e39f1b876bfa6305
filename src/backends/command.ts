import { rewriteReferences } from "../dockerfile/index.js";
import type { BuildJob } from "../plan/types.js";
import { planNamedContexts } from "./named-contexts.js";
import type { EngineInfo } from "./types.js";
import { isAtLeast } from "./version.js";

export interface BuildCommandOptions {
  progress: "plain";
  /** How this attempt reads images built on other builders, and the extra tags its result gets. */
  handOff?: HandOff;
}

/**
 * A rendering decision for one attempt on one builder, never an edit of the job: the upstream images this
 * builder does not hold are read from the registry by digest, and the result gets its registry tag.
 */
export interface HandOff {
  /** Image references (FROM, COPY --from, RUN --mount=from) → the registry image by digest. */
  images: Readonly<Record<string, string>>;
  /** Named contexts that stand for another service's image → the registry image by digest. */
  contexts: Readonly<Record<string, string>>;
  /** Tags the result gets besides the job's (its content-addressed registry tag). */
  tags: readonly string[];
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
  handOff?: HandOff;
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
  tags: (tags, ctx) => (ctx.job.load ? repeat("-t", [...tags, ...(ctx.handOff?.tags ?? [])]) : []),
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
    const plan = planNamedContexts(ctx.job, ctx.engine, ctx.handOff?.contexts);
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
  // Where a job runs is the scheduler's business; what it reads from elsewhere is the attempt's (`HandOff`).
  builder: none,
  builderReason: none,
  builderRequest: none,
  placementKey: none,
  registryImage: none,
  upstreamUses: none,
};

/**
 * The command line for one build; pure, so that what dockbuild would run can be read and tested. Where the
 * engine lacks named contexts and the job has image contexts, the Dockerfile goes on stdin (`-f -`), its
 * references to those contexts rewritten into the images they stand for.
 */
export function buildCommand(job: BuildJob, engine: EngineInfo, options: BuildCommandOptions): BuildCommand {
  const warnings: string[] = [];
  const stdin = dockerfileOnStdin(job, engine, options.handOff);
  const ctx: FlagContext = {
    job,
    engine,
    ...(options.handOff !== undefined ? { handOff: options.handOff } : {}),
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
 * named contexts and for upstream images read from a registry, the Dockerfile with its references to them
 * rewritten. Undefined when the file is read by path.
 */
export function dockerfileOnStdin(job: BuildJob, engine: EngineInfo, handOff?: HandOff): string | undefined {
  const { rewrites } = planNamedContexts(job, engine, handOff?.contexts);
  const all = { ...handOff?.images, ...rewrites };
  const text = job.dockerfileText ?? job.dockerfileInline;
  if (Object.keys(all).length === 0 || text === undefined) return job.dockerfileInline;
  return rewriteReferences(text, all, { buildArgs: job.args, platform: { target: job.platforms[0] } });
}

function applyRule<K extends keyof BuildJob>(key: K, job: BuildJob, ctx: FlagContext): string[] {
  const rule: FlagTable[K] = JOB_FLAGS[key];
  return rule(job[key], ctx);
}

/** What of the engine decides how a build process starts. */
export type InvocationEngine = Pick<
  EngineInfo,
  | "backend"
  | "dockerBinary"
  | "buildxPlugin"
  | "buildxDriver"
  | "buildkitVersion"
  | "serverVersion"
  | "clientArgs"
  | "buildxBuilder"
>;

/**
 * How a build starts on this backend: the buildx plugin run directly (`docker-buildx build`: what `docker buildx
 * build` runs, without the client and its metadata call in between) when detection found the client's plugin
 * and no client flags point elsewhere, else `docker buildx build` (on a named builder); or `docker build` with
 * BuildKit switched on; after the flags that point the client at a builder's engine.
 */
export function buildInvocation(engine: InvocationEngine): {
  file: string;
  args: string[];
  env: Record<string, string>;
} {
  return buildxInvocation(engine, "build");
}

/** `buildx build` or `buildx bake` as this engine runs them: the plugin directly where it may, on its builder. */
export function buildxInvocation(
  engine: InvocationEngine,
  command: "build" | "bake",
): { file: string; args: string[]; env: Record<string, string> } {
  const client = engine.clientArgs ?? [];
  if (engine.backend === "docker" && command === "build")
    return { file: engine.dockerBinary, args: [...client, "build"], env: { DOCKER_BUILDKIT: "1" } };
  const env: Record<string, string> = ignoresGitInfo(engine) ? { BUILDX_GIT_INFO: "0" } : {};
  const builder = engine.buildxBuilder !== undefined ? ["--builder", engine.buildxBuilder] : [];
  return engine.buildxPlugin !== undefined && client.length === 0
    ? { file: engine.buildxPlugin, args: [command, ...builder], env }
    : { file: engine.dockerBinary, args: [...client, "buildx", command, ...builder], env };
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
