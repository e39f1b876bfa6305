import * as z from "zod";
import type { BackendKind, EngineInfo } from "./types.js";
import { isAtLeast, parseVersionNumbers } from "./version.js";

/** Docker clients from this version on refuse `DOCKER_BUILDKIT=1 docker build` without the buildx plugin. */
export const CLIENT_NEEDS_BUILDX = "23.0";

/** Everything detection learned by running the client; the input of `planEngine`. */
export interface EngineProbe {
  /** The binary as configured. */
  dockerBinary: string;
  /** Its absolute path, when found on PATH. */
  resolvedBinary?: string;
  /** Why the client could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
  clientVersion?: string;
  serverVersion?: string;
  /** The client's error output when the engine did not answer. */
  serverError?: string;
  /**
   * Set when `docker buildx version` answered; `plugin` when the plugin binary found is the one the client runs,
   * `endpoint` the builder's (a Docker context or host for the docker driver).
   */
  buildx?: { version: string; driver?: string; buildkitVersion?: string; endpoint?: string; plugin?: string };
  /** Other Docker clients that build with BuildKit themselves, for the hint. */
  alternatives: { path: string; clientVersion: string }[];
  /** `DOCKER_HOST`, to name it in the hint. */
  dockerHost?: string;
  /** Set when `docker version` got no answer in time: the engine's address, and how long it was given. */
  silentEngine?: { endpoint: string; waitedMs: number };
}

export type EnginePlan =
  | { ok: true; engine: EngineInfo }
  | {
      ok: false;
      /** `client-refuses-buildkit`: worth looking for another client before reporting. */
      reason: "no-client" | "no-server" | "no-buildx" | "client-refuses-buildkit";
      message: string;
      hint: string;
    };

// `docker version --format '{{json .}}'`: https://github.com/docker/cli/blob/v28.2.2/cli/command/system/version.go
const versionSchema = z.object({
  Client: z.object({ Version: z.string() }).nullish(),
  Server: z.object({ Version: z.string() }).nullish(),
});

/** Read the client and engine versions from `docker version --format '{{json .}}'` (Server is null without an engine). */
export function parseDockerVersion(stdout: string): { clientVersion?: string; serverVersion?: string } {
  const line = stdout.split("\n").find((l) => l.trim().startsWith("{"));
  if (line === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return {};
  }
  const parsed = versionSchema.safeParse(json);
  if (!parsed.success) return {};
  return { clientVersion: parsed.data.Client?.Version, serverVersion: parsed.data.Server?.Version };
}

/** `github.com/docker/buildx v0.12.1-desktop.4 6996841…` → "0.12.1-desktop.4"; undefined when buildx is missing. */
export function parseBuildxVersion(stdout: string): string | undefined {
  return /buildx\s+v?(\d+\.\d+\.\d+\S*)/.exec(stdout)?.[1];
}

/** The builder's driver, BuildKit version and (first node's) endpoint from `docker buildx inspect`. */
export function parseBuildxInspect(stdout: string): {
  driver?: string;
  buildkitVersion?: string;
  endpoint?: string;
} {
  const field = (name: string): string | undefined =>
    new RegExp(`^${name}:[ \\t]*(\\S+)`, "m").exec(stdout)?.[1];
  const buildkit = field("Buildkit");
  const endpoint = field("Endpoint");
  return {
    driver: field("Driver"),
    buildkitVersion: buildkit && parseVersionNumbers(buildkit) ? buildkit.replace(/^v/, "") : undefined,
    ...(endpoint !== undefined ? { endpoint } : {}),
  };
}

/** Choose the backend from what the client said, or say exactly why none can be used and how to fix it. */
export function planEngine(probe: EngineProbe, requested: BackendKind | "auto"): EnginePlan {
  const binary = probe.resolvedBinary ?? probe.dockerBinary;
  const startEngine =
    "Start the engine (as root: `setsid dockerd >dockerd.log 2>&1 &`, or `systemctl start docker`) " +
    "and wait until `docker info` answers";
  if (probe.silentEngine !== undefined) {
    const { endpoint, waitedMs } = probe.silentEngine;
    return {
      ok: false,
      reason: "no-server",
      message: `Nothing answers on ${endpoint}: the Docker engine there gave ${binary} no reply within ${waitedMs / 1000} s (it is stopped or hung)`,
      hint: `${startEngine} (a stopped one: \`kill -CONT\` its dockerd, or restart it), or set DOCKER_HOST to an engine that runs.`,
    };
  }
  const pointAt =
    "point dockbuild at another Docker client with DOCKBUILD_DOCKER=/path/to/docker or the config key `docker`";
  if (probe.spawnError !== undefined || probe.clientVersion === undefined) {
    const why =
      probe.spawnError === "ENOENT"
        ? "not found"
        : (probe.spawnError ?? oneLine(probe.serverError) ?? "it printed no version");
    return {
      ok: false,
      reason: "no-client",
      message: `The Docker client ${binary} could not be run: ${why}`,
      hint: `Install Docker, or ${pointAt}.`,
    };
  }
  const client = `${binary} (Docker client ${probe.clientVersion})`;
  if (probe.serverVersion === undefined) {
    const host = probe.dockerHost ? ` (DOCKER_HOST is ${probe.dockerHost})` : "";
    return {
      ok: false,
      reason: "no-server",
      message: `The Docker engine did not answer ${client}: ${oneLine(probe.serverError) ?? "no server version"}`,
      hint: `${startEngine}, or set DOCKER_HOST to an engine that runs${host}.`,
    };
  }
  const base = {
    dockerBinary: probe.dockerBinary,
    clientVersion: probe.clientVersion,
    serverVersion: probe.serverVersion,
  };
  if (probe.buildx && requested !== "docker") {
    const { version, driver, plugin } = probe.buildx;
    // buildx before 0.11 reports the engine's own version as the docker driver's BuildKit version
    const buildkitVersion =
      driver === "docker" && probe.buildx.buildkitVersion === probe.serverVersion
        ? undefined
        : probe.buildx.buildkitVersion;
    return {
      ok: true,
      engine: {
        ...base,
        backend: "buildx",
        buildxVersion: version,
        buildxDriver: driver,
        buildkitVersion,
        namedContexts:
          isAtLeast(version, "0.8") && buildkitHasNamedContexts(driver, buildkitVersion, probe.serverVersion),
        ...(plugin !== undefined ? { buildxPlugin: plugin } : {}),
      },
    };
  }
  const installBuildx = "Install the buildx plugin (https://docs.docker.com/go/buildx/)";
  if (requested === "buildx") {
    return {
      ok: false,
      reason: "no-buildx",
      message: `${client} has no buildx plugin, and the buildx backend was asked for`,
      hint: `${installBuildx}, or use the backend \`auto\` or \`docker\` with a Docker client older than ${CLIENT_NEEDS_BUILDX}.`,
    };
  }
  const refuses =
    parseVersionNumbers(probe.clientVersion) !== undefined &&
    isAtLeast(probe.clientVersion, CLIENT_NEEDS_BUILDX);
  if (refuses) {
    const other = probe.alternatives[0];
    const named = other
      ? ` ${other.path} (Docker client ${other.clientVersion}) is one: DOCKBUILD_DOCKER=${other.path}.`
      : "";
    return {
      ok: false,
      reason: "client-refuses-buildkit",
      message:
        requested === "docker"
          ? `The docker backend was asked for, but ${client} refuses BuildKit builds without the buildx plugin, as Docker clients from ${CLIENT_NEEDS_BUILDX} on do`
          : `${client} has no buildx plugin, and Docker clients from ${CLIENT_NEEDS_BUILDX} on refuse BuildKit builds without it`,
      hint:
        `${installBuildx}, or point dockbuild at a Docker client that builds with BuildKit itself (older than ${CLIENT_NEEDS_BUILDX}) ` +
        `with DOCKBUILD_DOCKER=/path/to/docker or the config key \`docker\`.${named}`,
    };
  }
  // A client that carries BuildKit has no --build-context flag, whatever the engine.
  return { ok: true, engine: { ...base, backend: "docker", namedContexts: false } };
}

/** Named contexts need BuildKit 0.10; the docker driver runs the engine's own BuildKit (0.10 from Docker 23.0 on). */
function buildkitHasNamedContexts(
  driver: string | undefined,
  buildkitVersion: string | undefined,
  serverVersion: string,
): boolean {
  // For the docker driver buildx (0.10) reports the engine's own version as "Buildkit" (20.10.24+dfsg1);
  // BuildKit's versions are 0.x.
  if (buildkitVersion !== undefined) {
    const ofBuildkit = !isAtLeast(buildkitVersion, "1.0");
    return isAtLeast(buildkitVersion, ofBuildkit ? "0.10" : "23.0");
  }
  if (driver === "docker" || driver === undefined) return isAtLeast(serverVersion, "23.0");
  // TODO: replaced by `docker buildx inspect --bootstrap` once booting a builder during detection is acceptable;
  // a container builder that has not started yet runs moby/buildkit:buildx-stable-1, which is recent.
  return true;
}

/** The client's error output on one line; undefined when it printed nothing. */
function oneLine(text: string | undefined): string | undefined {
  const lines = (text ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length > 0 ? lines.join(" ") : undefined;
}
