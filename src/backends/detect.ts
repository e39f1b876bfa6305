import { constants } from "node:fs";
import { access, realpath } from "node:fs/promises";
import path from "node:path";
import { DockbuildError } from "../errors.js";
import { runCommand } from "../exec/index.js";
import {
  CLIENT_NEEDS_BUILDX,
  parseBuildxInspect,
  parseBuildxVersion,
  parseDockerVersion,
  planEngine,
  type EngineProbe,
} from "./engine-plan.js";
import { buildxPluginCandidates, findBuildxPlugin } from "./buildx-plugin.js";
import {
  detectionKey,
  gatherDetectionFacts,
  isCacheable,
  readCachedDetection,
  storeDetection,
} from "./detection-cache.js";
import { readDockerClientConfig } from "./docker-config.js";
import { readEngineVersion, type EngineVersion } from "./engine-api.js";
import { localEngineSocket } from "./engine-socket.js";
import { ENGINE_ANSWER_MS, readEngineEndpoint } from "./health.js";
import type { BackendKind, EngineInfo } from "./types.js";
import { isAtLeast } from "./version.js";

export interface DetectEngineOptions {
  /** The Docker client to run; else `DOCKBUILD_DOCKER`, else `docker` on PATH. */
  dockerBinary?: string;
  backend?: BackendKind | "auto";
  env: Record<string, string | undefined>;
  /** Global flags that point the client at another engine (`-H unix:///…`, `--context NAME`). */
  clientArgs?: readonly string[];
  /** A buildx builder by name instead of the current one (implies the buildx backend). */
  buildxBuilder?: string;
}

/** Well-known home of a distribution's own Docker client (Debian's docker.io), checked besides PATH. */
const DISTRIBUTION_CLIENT = "/usr/bin/docker";

const cache = new Map<string, Promise<EngineInfo>>();

/**
 * Find the BuildKit engine once per process: from the answer stored for the same client, plugin, builder and
 * engine, else by asking the client (`docker version`, `docker buildx version`, `buildx inspect`).
 */
export function detectEngine(options: DetectEngineOptions): Promise<EngineInfo> {
  const { env } = options;
  const dockerBinary = options.dockerBinary ?? env.DOCKBUILD_DOCKER ?? "docker";
  const backend = options.backend ?? "auto";
  const target = { clientArgs: options.clientArgs ?? [], buildxBuilder: options.buildxBuilder };
  const key = JSON.stringify([
    dockerBinary,
    backend,
    env.DOCKER_HOST,
    env.DOCKER_CONTEXT,
    env.BUILDX_BUILDER,
    env.PATH,
    target,
  ]);
  let found = cache.get(key);
  if (!found) {
    found = probeAndPlan(dockerBinary, backend, env, target);
    found.catch(() => cache.delete(key));
    cache.set(key, found);
  }
  return found;
}

/** Forget what `detectEngine` found (tests; a long-lived process whose engine changed). */
export function resetEngineCache(): void {
  cache.clear();
}

/** Which engine or builder to ask: flags before the command, a buildx builder by name. */
interface ProbeTarget {
  clientArgs: readonly string[];
  buildxBuilder?: string;
}

/**
 * Where the engine is local, ask it for its version on its socket (no process) and reuse the answer stored for
 * the same client, plugin, builder and engine; else, or when nothing is stored, ask the client (see `probeEngine`).
 */
async function probeAndPlan(
  dockerBinary: string,
  backend: BackendKind | "auto",
  env: Record<string, string | undefined>,
  target: ProbeTarget,
): Promise<EngineInfo> {
  const [resolvedBinary, config] = await Promise.all([
    resolveBinary(dockerBinary, env.PATH),
    readDockerClientConfig(env),
  ]);
  const socket = targetSocket(target, env, config.currentContext);
  // the plugin is run directly only where no client flags point elsewhere (it does not read them)
  const direct = backend !== "docker" && target.clientArgs.length === 0;
  const pluginCandidates = direct ? buildxPluginCandidates(config) : [];
  let key: string | undefined;
  let server: EngineVersion | undefined;
  if (socket !== undefined && resolvedBinary !== undefined) {
    const facts = { dockerBinary, resolvedBinary, backend, env, config, pluginCandidates, target };
    const [answered, gathered] = await Promise.all([
      readEngineVersion(socket, ENGINE_ANSWER_MS),
      gatherDetectionFacts(facts),
    ]);
    if (answered === "silent") {
      const silentEngine = { endpoint: `unix://${socket}`, waitedMs: ENGINE_ANSWER_MS };
      const plan = planEngine({ dockerBinary, resolvedBinary, alternatives: [], silentEngine }, backend);
      if (!plan.ok) throw new DockbuildError("NO_ENGINE", plan.message, { hint: plan.hint });
    }
    server = answered === "silent" ? undefined : answered;
    if (server !== undefined) {
      key = detectionKey(gathered, { socket, ...server });
      const cached = await readCachedDetection(key, env);
      if (cached !== undefined) return withTarget({ ...cached, socket }, target);
    }
  }
  const probe = await probeEngine(dockerBinary, backend, env, target, resolvedBinary, pluginCandidates);
  let plan = planEngine(probe, backend);
  if (!plan.ok && plan.reason === "client-refuses-buildkit") {
    const other = await findBuildkitClient(probe.resolvedBinary, env);
    plan = planEngine({ ...probe, alternatives: other ? [other] : [] }, backend);
  }
  if (!plan.ok) throw new DockbuildError("NO_ENGINE", plan.message, { hint: plan.hint });
  // the socket is used only when the engine there is the one the client talks to
  const sameEngine = socket !== undefined && server?.version === plan.engine.serverVersion;
  const info = sameEngine ? { ...plan.engine, socket } : plan.engine;
  if (key !== undefined && sameEngine && isCacheable(info)) await storeDetection(key, info, env);
  const endpoint = target.buildxBuilder !== undefined ? probe.buildx?.endpoint : undefined;
  return withTarget(info, target, endpoint);
}

/**
 * The unix socket of the engine a target reaches, when it is known without asking the client: the client's own
 * (`localEngineSocket`) for the default target, the one `-H unix:///…` names; none for a Docker context or a
 * named buildx builder (asked through the client).
 */
function targetSocket(
  target: ProbeTarget,
  env: Record<string, string | undefined>,
  currentContext: string | undefined,
): string | undefined {
  if (target.buildxBuilder !== undefined) return undefined;
  const [flag, host] = target.clientArgs;
  if (flag === undefined) return localEngineSocket(env, currentContext);
  return flag === "-H" && target.clientArgs.length === 2 && host?.startsWith("unix://")
    ? host.slice("unix://".length)
    : undefined;
}

/** What detection found, with the client flags and builder it was found through. */
function withTarget(info: EngineInfo, target: ProbeTarget, endpoint?: string): EngineInfo {
  if (target.clientArgs.length === 0 && target.buildxBuilder === undefined) return info;
  return {
    ...info,
    ...(target.clientArgs.length > 0 ? { clientArgs: target.clientArgs } : {}),
    ...(target.buildxBuilder !== undefined ? { buildxBuilder: target.buildxBuilder } : {}),
    ...(endpoint !== undefined ? { buildxEndpoint: endpoint } : {}),
  };
}

async function probeEngine(
  dockerBinary: string,
  backend: BackendKind | "auto",
  env: Record<string, string | undefined>,
  target: ProbeTarget,
  resolvedBinary: string | undefined,
  pluginCandidates: readonly string[],
): Promise<EngineProbe> {
  const pre = target.clientArgs;
  const probe: EngineProbe = { dockerBinary, resolvedBinary, alternatives: [], dockerHost: env.DOCKER_HOST };
  const plugin = backend === "docker" ? undefined : await findBuildxPlugin(pluginCandidates);
  const ask = (file: string, args: string[], signal?: AbortSignal) =>
    runCommand(file, args, { env, timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  // All questions at once: each spawn of the client costs tens of milliseconds, a no-op run only a few.
  // The client prints nothing before the engine answers: a stopped or hung engine is silence, not an error,
  // and `buildx version` (which asks the engine too) is then not waited for.
  const silent = new AbortController();
  const versionAsked = runCommand(dockerBinary, [...pre, "version", "--format", "{{json .}}"], {
    env,
    timeoutMs: ENGINE_ANSWER_MS,
  });
  const buildxAsked =
    backend === "docker" ? undefined : ask(dockerBinary, [...pre, "buildx", "version"], silent.signal);
  const directAsked = plugin === undefined ? undefined : ask(plugin, ["version"], silent.signal);
  const version = await versionAsked;
  const { clientVersion, serverVersion } = parseDockerVersion(version.stdout);
  if (clientVersion === undefined || serverVersion === undefined) silent.abort();
  if (version.spawnError !== undefined) return { ...probe, spawnError: version.spawnError };
  if (version.timedOut) {
    const endpoint = await readEngineEndpoint(dockerBinary, env);
    return { ...probe, silentEngine: { endpoint, waitedMs: ENGINE_ANSWER_MS } };
  }
  Object.assign(probe, { clientVersion, serverVersion, serverError: version.stderr });
  if (clientVersion === undefined || serverVersion === undefined || buildxAsked === undefined) return probe;
  const [buildx, direct] = await Promise.all([buildxAsked, directAsked]);
  const buildxVersion = buildx.failed ? undefined : parseBuildxVersion(buildx.stdout);
  if (buildxVersion === undefined) return probe;
  // the plugin found is the one the client runs when both say exactly the same (version and commit)
  const same = direct !== undefined && !direct.failed && direct.stdout.trim() === buildx.stdout.trim();
  const named = target.buildxBuilder !== undefined ? [target.buildxBuilder] : [];
  const inspect = same
    ? await ask(plugin as string, ["inspect", ...named])
    : await ask(dockerBinary, [...pre, "buildx", "inspect", ...named]);
  return {
    ...probe,
    buildx: {
      version: buildxVersion,
      ...(inspect.failed ? {} : parseBuildxInspect(inspect.stdout)),
      ...(same ? { plugin } : {}),
    },
  };
}

/** Another `docker` on PATH (or the distribution's) that builds with BuildKit itself, to name in the hint. */
async function findBuildkitClient(
  exclude: string | undefined,
  env: Record<string, string | undefined>,
): Promise<{ path: string; clientVersion: string } | undefined> {
  const seen = new Set<string>();
  if (exclude) seen.add(await realpath(exclude).catch(() => exclude));
  const dirs = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const candidates = [...dirs.map((d) => path.join(d, "docker")), DISTRIBUTION_CLIENT];
  for (const candidate of candidates) {
    if (!(await isExecutable(candidate))) continue;
    const real = await realpath(candidate).catch(() => candidate);
    if (seen.has(real)) continue;
    seen.add(real);
    const result = await runCommand(candidate, ["version", "--format", "{{json .}}"], {
      env,
      timeoutMs: 30_000,
    });
    const { clientVersion } = parseDockerVersion(result.stdout);
    if (clientVersion !== undefined && !isAtLeast(clientVersion, CLIENT_NEEDS_BUILDX)) {
      return { path: candidate, clientVersion };
    }
  }
  return undefined;
}

async function resolveBinary(binary: string, pathVariable: string | undefined): Promise<string | undefined> {
  if (binary.includes("/")) return path.resolve(binary);
  for (const dir of (pathVariable ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, binary);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
