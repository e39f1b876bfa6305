// CPU time spent during a timed run, split between the tool and the engine, read from /proc (Linux only; elsewhere
// nothing is reported). The tool's side is what the bench's own children used: the timed command and every process
// it waited for (the buildx plugin, the Docker CLI). The engine's side is dockerd with everything it waited for or
// still runs: its helpers (runc, its own re-executions for network set-up) and the build steps' processes, which
// runc reaps. A cold build whose engine side is the same for every tool is bound by the engine, not by the tool.
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second in /proc's times: USER_HZ, 100 on every architecture Linux runs on but Alpha. */
const USER_HZ = 100;

/**
 * The CPU times in a `/proc/PID/stat` line, in ms: the process's own (user + system) and its waited-for children's.
 * The command name may hold spaces and parentheses, so fields are counted from the last `)`.
 * @param {string} text
 * @returns {{ ownMs: number, childrenMs: number } | undefined}
 */
export function parseStat(text) {
  const close = text.lastIndexOf(")");
  if (close < 0) return undefined;
  // after ") ": state is field 3; utime, stime, cutime, cstime are fields 14–17
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  if (![utime, stime, cutime, cstime].every(Number.isFinite)) return undefined;
  const ms = (ticks) => (ticks * 1000) / USER_HZ;
  return { ownMs: ms(utime + stime), childrenMs: ms(cutime + cstime) };
}

function readStat(pid) {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

function childrenOf(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/**
 * CPU ms of a process tree so far: the process, the children it has waited for, and every live descendant
 * (dockerd's own containerd, a step still running). Undefined when the process is gone or there is no /proc.
 * @param {number} pid
 */
export function treeCpuMs(pid) {
  const own = readStat(pid);
  if (own === undefined) return undefined;
  let total = own.ownMs + own.childrenMs;
  for (const child of childrenOf(pid)) total += treeCpuMs(child) ?? 0;
  return total;
}

/** CPU ms used so far by the children this process has waited for (each timed command and what it ran). */
export function waitedChildrenCpuMs() {
  return readStat("self")?.childrenMs;
}

/**
 * Whether a dockerd command line serves `host`: its `--host`/`-H` names the same unix socket, or, for the default
 * socket (no host, or unix:///var/run/docker.sock), it names no host at all.
 * @param {string[]} argv
 * @param {string | undefined} host
 */
export function servesHost(argv, host) {
  const hosts = [];
  for (const [i, arg] of argv.entries()) {
    const inline = /^(?:--host|-H)=(.*)$/.exec(arg);
    if (inline) hosts.push(inline[1]);
    else if ((arg === "--host" || arg === "-H") && argv[i + 1] !== undefined) hosts.push(argv[i + 1]);
  }
  const socket = (h) => (h.startsWith("unix://") ? h.slice("unix://".length) : h);
  const wanted = host === undefined ? "/var/run/docker.sock" : socket(host);
  if (hosts.length === 0) return wanted === "/var/run/docker.sock" || wanted === "/run/docker.sock";
  return hosts.some((h) => socket(h) === wanted);
}

/**
 * The pid of the dockerd that serves `host` on this machine, if exactly one does and /proc shows it.
 * @param {string | undefined} host
 */
export function findEngineProcess(host) {
  let pids;
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const found = pids.filter((pid) => {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "dockerd") return false;
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      return servesHost(argv.slice(1), host);
    } catch {
      return false;
    }
  });
  return found.length === 1 ? Number(found[0]) : undefined;
}

/**
 * Starts counting; the returned function gives the CPU ms the tool and the engine used since, each undefined
 * where it cannot be read.
 * @param {number | undefined} enginePid
 */
export function startCpuCount(enginePid) {
  const tool0 = waitedChildrenCpuMs();
  const engine0 = enginePid === undefined ? undefined : treeCpuMs(enginePid);
  return () => {
    const tool1 = waitedChildrenCpuMs();
    const engine1 = enginePid === undefined ? undefined : treeCpuMs(enginePid);
    return {
      toolCpuMs: tool0 === undefined || tool1 === undefined ? undefined : tool1 - tool0,
      engineCpuMs: engine0 === undefined || engine1 === undefined ? undefined : engine1 - engine0,
    };
  };
}
