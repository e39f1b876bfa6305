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

/** Find the BuildKit engine once per process: `docker version`, then `docker buildx version` (and `inspect`). */
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

async function probeAndPlan(
  dockerBinary: string,
  backend: BackendKind | "auto",
  env: Record<string, string | undefined>,
  target: ProbeTarget,
): Promise<EngineInfo> {
  const probe = await probeEngine(dockerBinary, backend, env, target);
  let plan = planEngine(probe, backend);
  if (!plan.ok && plan.reason === "client-refuses-buildkit") {
    const other = await findBuildkitClient(probe.resolvedBinary, env);
    plan = planEngine({ ...probe, alternatives: other ? [other] : [] }, backend);
  }
  if (!plan.ok) throw new DockbuildError("NO_ENGINE", plan.message, { hint: plan.hint });
  if (target.clientArgs.length === 0 && target.buildxBuilder === undefined) return plan.engine;
  const endpoint = target.buildxBuilder !== undefined ? probe.buildx?.endpoint : undefined;
  return {
    ...plan.engine,
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
): Promise<EngineProbe> {
  const pre = target.clientArgs;
  const resolvedBinary = await resolveBinary(dockerBinary, env.PATH);
  const probe: EngineProbe = { dockerBinary, resolvedBinary, alternatives: [], dockerHost: env.DOCKER_HOST };
  // Both questions at once: each spawn of the client costs tens of milliseconds, a no-op run only a few.
  // The client prints nothing before the engine answers: a stopped or hung engine is silence, not an error,
  // and `buildx version` (which asks the engine too) is then not waited for.
  const silent = new AbortController();
  const versionAsked = runCommand(dockerBinary, [...pre, "version", "--format", "{{json .}}"], {
    env,
    timeoutMs: ENGINE_ANSWER_MS,
  });
  const buildxAsked =
    backend === "docker"
      ? undefined
      : runCommand(dockerBinary, [...pre, "buildx", "version"], {
          env,
          timeoutMs: 30_000,
          signal: silent.signal,
        });
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
  const buildx = await buildxAsked;
  const buildxVersion = buildx.failed ? undefined : parseBuildxVersion(buildx.stdout);
  if (buildxVersion === undefined) return probe;
  const named = target.buildxBuilder !== undefined ? [target.buildxBuilder] : [];
  const inspect = await runCommand(dockerBinary, [...pre, "buildx", "inspect", ...named], {
    env,
    timeoutMs: 30_000,
  });
  return {
    ...probe,
    buildx: { version: buildxVersion, ...(inspect.failed ? {} : parseBuildxInspect(inspect.stdout)) },
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
