import { createHash } from "node:crypto";
import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import { codeStamp } from "../util/state-dir.js";
import { readStateFile, writeStateFile } from "../util/state-file.js";
import { fileStamp, type DockerClientConfig } from "./docker-config.js";
import type { EngineVersion } from "./engine-api.js";
import type { BackendKind, EngineInfo } from "./types.js";

/** The shape of the stored file; answers of another build of dockbuild never match (see `codeStamp`). */
const DETECTION_FORMAT = 1;

/** Environment variables that choose the engine, the client's config or the buildx builder. */
const ENGINE_ENV = [
  "DOCKER_HOST",
  "DOCKER_CONTEXT",
  "DOCKER_CONFIG",
  "BUILDX_BUILDER",
  "BUILDX_CONFIG",
] as const;

/** Everything engine detection's answer depends on: the same facts always give the same answer. */
export interface DetectionFacts {
  dockerBinary: string;
  backend: BackendKind | "auto";
  env: Record<string, string | undefined>;
  /** The client binary's real path and stamp (replaced by an upgrade). */
  client: [string, string];
  /** config.json's stamp and current context. */
  config: [string, string | undefined];
  /** Every place the buildx plugin may be, with its stamp ("none" where there is none). */
  plugins: [string, string][];
  /** The current buildx builder (`buildx/current`) and the builders' folder's stamp. */
  builders: [string | undefined, string];
  /** The client flags that point it at another engine (`-H unix:///…`); none: its own. */
  clientArgs: readonly string[];
}

/** The key detection answers are stored under: a digest of the facts and of the engine as it answered just now. */
export function detectionKey(facts: DetectionFacts, engine: { socket: string } & EngineVersion): string {
  return createHash("sha256")
    .update(JSON.stringify([DETECTION_FORMAT, codeStamp(), facts, engine]))
    .digest("hex");
}

/** Gather the facts: a handful of stat calls and small reads, no process. */
export async function gatherDetectionFacts(options: {
  dockerBinary: string;
  resolvedBinary: string;
  backend: BackendKind | "auto";
  env: Record<string, string | undefined>;
  config: DockerClientConfig;
  pluginCandidates: readonly string[];
  target: { clientArgs: readonly string[] };
}): Promise<DetectionFacts> {
  const { env, config } = options;
  const buildxDir = env.BUILDX_CONFIG ? path.resolve(env.BUILDX_CONFIG) : path.join(config.dir, "buildx");
  const realClient = await realpath(options.resolvedBinary).catch(() => options.resolvedBinary);
  const [clientStamp, plugins, current, builders] = await Promise.all([
    fileStamp(realClient),
    Promise.all(
      options.pluginCandidates.map(async (p): Promise<[string, string]> => [p, await fileStamp(p)]),
    ),
    readFile(path.join(buildxDir, "current"), "utf8").catch(() => undefined),
    fileStamp(path.join(buildxDir, "instances")),
  ]);
  return {
    dockerBinary: options.dockerBinary,
    backend: options.backend,
    env: Object.fromEntries(ENGINE_ENV.map((name) => [name, env[name]])),
    client: [realClient, clientStamp],
    config: [config.stamp, config.currentContext],
    plugins,
    builders: [current, builders],
    clientArgs: options.target.clientArgs,
  };
}

/**
 * Whether an answer may be kept: one that depends only on the facts. A builder with its own BuildKit (a
 * container, a remote or Kubernetes driver) can change behind them, so it is detected again every run.
 */
export function isCacheable(info: EngineInfo): boolean {
  return info.backend === "docker" || info.buildxDriver === "docker";
}

const engineInfoSchema = z.object({
  backend: z.enum(["buildx", "docker"]),
  dockerBinary: z.string(),
  clientVersion: z.string(),
  serverVersion: z.string(),
  buildxVersion: z.string().optional(),
  buildxDriver: z.string().optional(),
  buildkitVersion: z.string().optional(),
  namedContexts: z.boolean(),
  buildxPlugin: z.string().optional(),
}) satisfies z.ZodType<Omit<EngineInfo, "socket">>;

const fileSchema = z.object({
  format: z.literal(DETECTION_FORMAT),
  entries: z.array(z.object({ key: z.string(), info: engineInfoSchema })),
});

const FILE = "engine-detection.json";
/** A few engines and clients per machine are plenty; the oldest answers go first. */
const MAX_ENTRIES = 16;

/** The answer stored for these facts, if any. */
export async function readCachedDetection(
  key: string,
  env: Record<string, string | undefined>,
): Promise<Omit<EngineInfo, "socket"> | undefined> {
  const file = await readStateFile(FILE, fileSchema, env);
  return file?.entries.find((e) => e.key === key)?.info;
}

/** Keep an answer for the next run, newest first. */
export async function storeDetection(
  key: string,
  info: EngineInfo,
  env: Record<string, string | undefined>,
): Promise<void> {
  const { socket: _socket, ...kept } = info;
  const file = await readStateFile(FILE, fileSchema, env);
  const others = (file?.entries ?? []).filter((e) => e.key !== key);
  const entries = [{ key, info: kept }, ...others].slice(0, MAX_ENTRIES);
  await writeStateFile(FILE, { format: DETECTION_FORMAT, entries }, env);
}
