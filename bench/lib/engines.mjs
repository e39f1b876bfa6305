// Engines and a registry of the bench's own for the builders scenario: dockerd beside the machine's engine,
// each with its own socket, data root, exec root, pid file and bridge (never `--bridge=none`, which would
// delete the machine engine's docker0), and Debian's docker-registry on a loopback port. Besides measure.mjs,
// the only module that spawns: these are daemons that outlive one command.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { clearTimeout, setTimeout } from "node:timers";
import { setTimeout as delay } from "node:timers/promises";
import { execa } from "execa";
import { capture } from "./measure.mjs";

/** dockerd's command line for an engine whose files all live under `root`. */
export function dockerdArgs(root, bridge) {
  return [
    `--host=unix://${join(root, "docker.sock")}`,
    `--data-root=${join(root, "data")}`,
    `--exec-root=${join(root, "exec")}`,
    `--pidfile=${join(root, "docker.pid")}`,
    "--iptables=false",
    `--bridge=${bridge}`,
  ];
}

/** The registry's config: loopback only, storage under `root`. */
export function registryConfig(root, host) {
  return [
    "version: 0.1",
    "log:",
    "  level: warn",
    "http:",
    `  addr: ${host}`,
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${join(root, "storage")}`,
    "",
  ].join("\n");
}

/**
 * Start an engine on bridge `bridge` (made here, with `address`); wait until it answers. `docker` is the
 * client to ask. Returns its host address and a stop that leaves nothing behind.
 */
export async function startEngine({ docker, bridge, address, root }) {
  if (bridge === "docker0" || !/^[a-z][a-z0-9]{1,14}$/.test(bridge))
    throw new Error(`refusing bridge "${bridge}"`);
  await cleanEngine(root, bridge);
  mkdirSync(root, { recursive: true });
  for (const args of [
    ["link", "add", "name", bridge, "type", "bridge"],
    ["addr", "add", address, "dev", bridge],
    ["link", "set", bridge, "up"],
  ]) {
    const ip = await capture(["ip", ...args]);
    if (ip.exitCode !== 0) throw new Error(`ip ${args.join(" ")}: ${ip.stderr}`);
  }
  const log = join(root, "dockerd.log");
  const child = execa("dockerd", dockerdArgs(root, bridge), {
    stdin: "ignore",
    stdout: { file: log, append: true },
    stderr: { file: log, append: true },
    reject: false,
    detached: true,
  });
  let exited = false;
  void child.then(() => (exited = true));
  const host = `unix://${join(root, "docker.sock")}`;
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await child;
      clearTimeout(timer);
    }
    await cleanEngine(root, bridge);
  };
  for (let waited = 0; ; waited += 250) {
    const version = await capture([docker, "-H", host, "version", "--format", "{{.Server.Version}}"]);
    if (version.exitCode === 0 && version.stdout !== "") break;
    if (exited || waited > 60_000) {
      const text = existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "";
      await stop();
      throw new Error(`the bench engine on ${bridge} did not start:\n${text}`);
    }
    await delay(250);
  }
  return { host, bridge, stop };
}

/** Unmount and delete an engine's folders (a killed dockerd leaves its containerd), delete its bridge. */
async function cleanEngine(root, bridge) {
  const containerdPid = Number.parseInt(readIfThere(join(root, "exec", "containerd", "containerd.pid")), 10);
  if (Number.isInteger(containerdPid) && readIfThere(`/proc/${containerdPid}/comm`).trim() === "containerd")
    process.kill(containerdPid, "SIGKILL");
  const mounts = readIfThere("/proc/self/mounts")
    .split("\n")
    .map((line) => line.split(" ")[1])
    .filter((m) => m !== undefined && (m === root || m.startsWith(`${root}/`)))
    .sort((a, b) => b.length - a.length);
  for (const mount of mounts) await capture(["umount", "-l", mount]);
  rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  if (bridge !== "docker0" && existsSync(`/sys/class/net/${bridge}`))
    await capture(["ip", "link", "del", bridge]);
}

/** Start docker-registry on a free loopback port with storage under `root`. */
export async function startRegistry(root) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const host = `127.0.0.1:${await freePort()}`;
  const config = join(root, "config.yml");
  writeFileSync(config, registryConfig(root, host));
  const log = join(root, "registry.log");
  const child = execa("docker-registry", ["serve", config], {
    stdin: "ignore",
    stdout: { file: log, append: true },
    stderr: { file: log, append: true },
    reject: false,
    detached: true,
  });
  let exited = false;
  void child.then(() => (exited = true));
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      await child;
    }
    rmSync(root, { recursive: true, force: true });
  };
  for (let waited = 0; ; waited += 100) {
    const ok = await globalThis.fetch(`http://${host}/v2/`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (exited || waited > 30_000) {
      await stop();
      throw new Error(`docker-registry did not start on ${host}`);
    }
    await delay(100);
  }
  return { host, stop };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function readIfThere(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
