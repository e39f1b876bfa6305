// What the bench asks the engine and the machine: cleaning up the bench's images and the build cache, checking
// that a build produced every image, and the versions that go under the results table.
import { readFileSync } from "node:fs";
import os from "node:os";
import { BENCH_LABEL, IMAGE_PREFIX } from "./monorepo.mjs";
import { capture } from "./measure.mjs";
import { toolEnv } from "./tools.mjs";

const NOT_OWN_ENGINE =
  "the cold scenario empties the engine's build cache (docker builder prune -af), so the bench runs it only " +
  "on an engine of its own: start one (DESIGN.md, a second engine) and name it with --docker-host " +
  "unix:///path/to/its/docker.sock, or leave cold out (--scenarios noop,one-change,plan)";

/** Before anything runs: the cold scenario on an engine that is not the bench's own is refused. */
export function engineProblem(context, scenarios) {
  return scenarios.includes("cold") && !context.ownEngine ? NOT_OWN_ENGINE : undefined;
}

/**
 * Every image of the bench (by label, dangling ones too, and by name), then the whole build cache: only on an
 * engine of the bench's own, named with --docker-host (`context.ownEngine`). The build cache of any other
 * engine holds what other people built, and the bench never deletes what it did not create: there a cold run
 * stops with a message (run.mjs refuses `cold` before anything runs), and `cleanup` removes only the images.
 */
export async function makeEngineCold(context, { cleanup = false } = {}) {
  await removeBenchImages(context);
  if (!context.ownEngine) {
    if (cleanup) return;
    throw new Error(NOT_OWN_ENGINE);
  }
  const prune = await capture([context.docker, "builder", "prune", "-af"], {
    env: toolEnv(context),
    timeoutMs: 600_000,
  });
  if (prune.exitCode !== 0) throw new Error(`docker builder prune -af failed: ${prune.stderr}`);
}

export async function removeBenchImages(context) {
  const env = toolEnv(context);
  const ids = new Set();
  for (const filter of [`label=${BENCH_LABEL}`, `reference=${IMAGE_PREFIX}/*`]) {
    const list = await capture([context.docker, "image", "ls", "-aq", "--filter", filter], { env });
    for (const id of list.stdout.split(/\s+/)) if (id) ids.add(id);
  }
  if (ids.size === 0) return;
  const rm = await capture([context.docker, "image", "rm", "-f", ...ids], { env, timeoutMs: 600_000 });
  // An id listed twice or already gone is fine; anything left over is not.
  const left = await capture(
    [context.docker, "image", "ls", "-q", "--filter", `reference=${IMAGE_PREFIX}/*`],
    {
      env,
    },
  );
  if (left.stdout !== "") throw new Error(`could not remove the bench images: ${rm.stderr}`);
}

/** Which of the services' images the engine lacks after a build (the build's own exit code is not enough). */
export async function missingImages(context, serviceNames) {
  // Listed by name rather than inspected: an image with two tags shows only one of them in `RepoTags[0]`.
  const list = await capture(
    [
      context.docker,
      "image",
      "ls",
      "--format",
      "{{.Repository}}:{{.Tag}}",
      "--filter",
      `reference=${IMAGE_PREFIX}/*`,
    ],
    { env: toolEnv(context) },
  );
  const present = new Set(list.stdout.split("\n").map((l) => l.trim()));
  return serviceNames.filter((s) => !present.has(`${IMAGE_PREFIX}/${s}:latest`));
}

/** Cores, memory, kernel, engine and client versions: what the numbers depend on. */
export async function machineInfo(context, peers) {
  const env = toolEnv(context);
  const cpuModel =
    /model name\s*:\s*(.+)/.exec(safeRead("/proc/cpuinfo"))?.[1]?.trim() ?? os.cpus()[0]?.model;
  const server = await capture([context.docker, "version", "--format", "{{.Server.Version}}"], { env });
  const client = await capture([context.docker, "version", "--format", "{{.Client.Version}}"], { env });
  const info = await capture([context.docker, "info", "--format", "{{.Driver}} {{.DockerRootDir}}"], { env });
  const dockbuild = await capture([context.node, `${context.repoRoot}/bin/dockbuild.js`, "--version"], {
    env,
  });
  const commit = await capture(["git", "-C", context.repoRoot, "rev-parse", "--short", "HEAD"]);
  const dirty = await capture(["git", "-C", context.repoRoot, "status", "--porcelain", "--", "src", "bin"]);
  /** @type {[string, string][]} */
  const rows = [
    ["cores", `${os.availableParallelism()} (${cpuModel ?? "unknown CPU"})`],
    ["memory", `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ["os", `${osRelease()} · kernel ${os.release()}`],
    [
      "load average at start",
      os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" "),
    ],
    [
      "engine",
      `dockerd ${server.stdout || "unknown"} (storage ${info.stdout || "unknown"})${context.dockerHost ? ` at ${context.dockerHost}` : ""}`,
    ],
    ["Docker client (all tools)", `${context.docker} ${client.stdout || "unknown"}`],
    ["node", process.version],
    [
      "dockbuild",
      `${dockbuild.exitCode === 0 ? dockbuild.stdout : "unknown"} (commit ${commit.stdout || "?"}${dirty.stdout ? ", with uncommitted changes in src/" : ""})`,
    ],
  ];
  for (const peer of peers) rows.push([peer.title, await peerVersion(peer, env)]);
  return rows;
}

async function peerVersion(peer, env) {
  const argv =
    peer.id === "compose"
      ? [peer.build("/")[0].argv[0], "version", "--short"]
      : [peer.build("/")[0].argv[0], "buildx", "version"];
  const out = await capture(argv, { env });
  return out.exitCode === 0 ? out.stdout.split("\n")[0] : "unknown";
}

function osRelease() {
  return /PRETTY_NAME="?([^"\n]+)"?/.exec(safeRead("/etc/os-release"))?.[1] ?? `${os.type()} ${os.release()}`;
}

function safeRead(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
