import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { dockerClient, type DockerResult } from "./docker.js";
import { buildBusyboxImage } from "./engine.js";
import { BUSYBOX_IMAGE } from "./paths.js";

export interface SecondEngineOptions {
  /** The bridge the engine's containers (and RUN steps) use; `dbk1` as in DESIGN.md. Never `docker0`. */
  bridge?: string;
  /** The bridge's address and prefix. */
  address?: string;
}

/** A second dockerd beside the machine's own, with a socket, data, state and bridge of its own. */
export interface SecondEngine {
  /** `unix:///…/docker.sock`: set it as DOCKER_HOST to point a client at this engine. */
  host: string;
  /** The dockerd's pid: a test of engine faults stops or kills it (`stop` cleans up either way). */
  pid: number;
  /** Environment for a child process (a dockbuild run) that must talk to this engine. */
  env: Record<string, string>;
  /** Run the Docker client against this engine; never throws for a non-zero exit. */
  tryDocker(args: readonly string[], options?: { input?: string }): Promise<DockerResult>;
  /** Like tryDocker, but throws with the client's stderr when it fails; returns stdout. */
  docker(args: readonly string[], options?: { input?: string }): Promise<string>;
  /** Build the tests' busybox base image on this engine (from the host's /bin/busybox). */
  buildBusyboxImage(): Promise<void>;
  /** The engine's log so far, for failure messages. */
  log(): Promise<string>;
  /** Kill dockerd at once (SIGKILL), as a machine that goes away would; `stop` still cleans up after it. */
  kill(): void;
  /** Stop the engine, unmount and delete its folders, delete its bridge. Safe to call twice. */
  stop(): Promise<void>;
}

const DOCKERD = "dockerd";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Start a second, independent engine the way DESIGN.md says: its own `--host` socket, `--data-root`,
 * `--exec-root`, `--pidfile`, `--iptables=false` and its own bridge (`--bridge=<bridge>`, made here). Never
 * `--bridge=none`, which deletes the first engine's docker0. Leftovers of an earlier run that died are
 * cleaned first; an engine of this name that still runs is an error, not something to kill.
 */
export async function startSecondEngine(options: SecondEngineOptions = {}): Promise<SecondEngine> {
  const bridge = options.bridge ?? "dbk1";
  const address = options.address ?? "10.213.0.1/24";
  if (bridge === "docker0" || !/^[a-z][a-z0-9]{1,14}$/.test(bridge)) {
    throw new Error(`refusing bridge name "${bridge}": the second engine needs a bridge of its own`);
  }
  // Short and fixed per bridge: the managed containerd's socket lives under the exec root (108-byte limit).
  const root = path.join(os.tmpdir(), `dockbuild-engine-${bridge}`);
  const pidFile = path.join(root, "docker.pid");
  const socket = path.join(root, "docker.sock");
  const host = `unix://${socket}`;

  const stalePid = await readPid(pidFile);
  if (stalePid !== undefined && (await isRunning(stalePid, "dockerd"))) {
    throw new Error(`an engine for bridge ${bridge} already runs (pid ${stalePid}, ${root}); stop it first`);
  }
  await cleanUp(root, bridge);

  await mkdir(root, { recursive: true });
  await ip(["link", "add", "name", bridge, "type", "bridge"]);
  await ip(["addr", "add", address, "dev", bridge]);
  await ip(["link", "set", bridge, "up"]);

  const logFile = path.join(root, "dockerd.log");
  const child = execa(
    DOCKERD,
    [
      `--host=${host}`,
      `--data-root=${path.join(root, "data")}`,
      `--exec-root=${path.join(root, "exec")}`,
      `--pidfile=${pidFile}`,
      "--iptables=false",
      `--bridge=${bridge}`,
    ],
    {
      stdin: "ignore",
      stdout: { file: logFile, append: true },
      stderr: { file: logFile, append: true },
      reject: false,
      detached: true,
    },
  );
  let exited = false;
  void child.then(() => {
    exited = true;
  });

  const run = (args: readonly string[], input?: string) =>
    execa(dockerClient(), ["-H", host, ...args], {
      env: { DOCKER_BUILDKIT: "1" },
      ...(input === undefined ? { stdin: "ignore" as const } : { input }),
      reject: false,
    });
  const tryDocker = async (args: readonly string[], opts: { input?: string } = {}): Promise<DockerResult> => {
    const result = await run(args, opts.input);
    return {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.exitCode === undefined ? (result.shortMessage ?? "") : result.stderr,
    };
  };
  const log = () => readFile(logFile, "utf8").catch(() => "");

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      if (!exited && child.pid !== undefined) {
        child.kill("SIGCONT"); // a test may have left it stopped
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await child;
        clearTimeout(timer);
      }
      // A dockerd that was killed leaves its containerd running.
      const containerd = await readPid(path.join(root, "exec", "containerd", "containerd.pid"));
      if (containerd !== undefined && (await isRunning(containerd, "containerd")))
        process.kill(containerd, "SIGKILL");
    } finally {
      await cleanUp(root, bridge);
    }
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const probe = await tryDocker(["version", "--format", "{{.Server.Version}}"]);
    if (probe.exitCode === 0 && probe.stdout.trim() !== "") break;
    if (exited || Date.now() > deadline) {
      const text = await log();
      await stop();
      throw new Error(
        `the second engine did not start${exited ? " (dockerd exited)" : ""}:\n${text.slice(-3000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  if (child.pid === undefined) throw new Error("dockerd did not start");
  return {
    host,
    pid: child.pid,
    env: { DOCKER_HOST: host },
    tryDocker,
    async docker(args, opts = {}) {
      const result = await tryDocker(args, opts);
      if (result.exitCode !== 0) {
        throw new Error(
          `docker -H ${host} ${args.join(" ")} failed (exit ${result.exitCode}):\n${result.stderr}`,
        );
      }
      return result.stdout;
    },
    async buildBusyboxImage() {
      const result = await buildBusyboxImage(tryDocker);
      if (result.exitCode !== 0)
        throw new Error(`building ${BUSYBOX_IMAGE} on ${host} failed:\n${result.stderr}`);
    },
    log,
    kill: () => {
      if (!exited) child.kill("SIGKILL");
    },
    stop,
  };
}

/** Unmount whatever is still mounted under `root`, delete it, and delete the bridge (never docker0). */
async function cleanUp(root: string, bridge: string): Promise<void> {
  const mounts = (await readFile("/proc/self/mounts", "utf8").catch(() => ""))
    .split("\n")
    .map((line) => line.split(" ")[1]?.replace(/\\040/g, " "))
    .filter((m): m is string => m !== undefined && (m === root || m.startsWith(`${root}/`)))
    .sort((a, b) => b.length - a.length);
  for (const mount of mounts) await execa("umount", ["-l", mount], { reject: false, stdin: "ignore" });
  await rm(root, { recursive: true, force: true, maxRetries: 3 });
  if (bridge !== "docker0" && existsSync(`/sys/class/net/${bridge}`)) await ip(["link", "del", bridge]);
}

async function ip(args: string[]): Promise<void> {
  const result = await execa("ip", args, { reject: false, stdin: "ignore" });
  if (result.exitCode !== 0) throw new Error(`ip ${args.join(" ")} failed: ${result.stderr}`);
}

async function readPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, "utf8").catch(() => "");
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether `pid` is a live process with this command name (a pid file may name a reused pid). */
async function isRunning(pid: number, command: string): Promise<boolean> {
  const comm = await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "");
  return comm.trim() === command;
}
