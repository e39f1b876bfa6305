// Runs one command and measures it: wall time from spawn to exit, exit code, output kept in a log file with the
// time each line arrived (so a run can be split into start-up, building and tail), and optionally peak RSS
// through GNU time. The only module that spawns.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";
import { clearInterval, clearTimeout, setInterval, setTimeout } from "node:timers";
import { setTimeout as delay } from "node:timers/promises";
import { execa } from "execa";

export const GNU_TIME = "/usr/bin/time";

/** Process groups still running, so that Ctrl-C on the bench stops the builds it started. */
const running = new Set();

export function stopAll(signal = "SIGTERM") {
  for (const pid of running) killGroup(pid, signal);
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * @typedef {object} Measured
 * @property {string} label
 * @property {string[]} argv
 * @property {number} exitCode     -1 when it could not start or was stopped by a signal
 * @property {number} wallMs
 * @property {boolean} timedOut
 * @property {number | undefined} maxRssKb   with `rss: true` and GNU time present
 * @property {{ t: number, line: string }[]} lines  stdout and stderr lines, t in ms since spawn
 * @property {string} stdout
 * @property {string} log          the log file
 */

/**
 * @param {string} label
 * @param {string[]} argv
 * @param {{ cwd?: string, env?: Record<string,string|undefined>, timeoutMs?: number, log: string, rss?: boolean }} options
 * @returns {Promise<Measured>}
 */
export async function measure(label, argv, options) {
  const wrapped =
    options.rss && existsSync(GNU_TIME) ? [GNU_TIME, "-f", "@@maxrss_kb=%M", "--", ...argv] : argv;
  const [file, ...args] = wrapped;
  mkdirSync(dirname(options.log), { recursive: true });
  writeFileSync(options.log, `$ ${argv.join(" ")}\n# cwd ${options.cwd ?? process.cwd()}\n`);
  /** @type {{ t: number, line: string }[]} */
  const lines = [];
  let stdout = "";
  let maxRssKb;
  const start = performance.now();
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    stdin: "ignore",
    detached: true,
    buffer: false,
  });
  if (child.pid) running.add(child.pid);
  // Without GNU time, peak RSS is the last high-water mark (VmHWM) read from /proc while the process runs.
  const poll =
    options.rss && wrapped === argv && child.pid
      ? setInterval(() => {
          const hwm = /VmHWM:\s+(\d+) kB/.exec(readStatus(child.pid));
          if (hwm) maxRssKb = Math.max(maxRssKb ?? 0, Number(hwm[1]));
        }, 10)
      : undefined;
  const keep = (t, name, raw) => {
    // GNU time appends its report to whatever the command printed last, newline or not.
    const rss = /@@maxrss_kb=(\d+)$/.exec(raw);
    if (rss) maxRssKb = Number(rss[1]);
    const line = rss ? raw.slice(0, rss.index) : raw;
    if (rss && line === "") return;
    lines.push({ t, line });
    appendFileSync(options.log, `${(t / 1000).toFixed(2).padStart(8)} ${name} | ${line}\n`);
  };
  /** @type {Promise<void>[]} */
  const drained = [];
  const take = (stream, name) => {
    if (!stream) return;
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      const t = performance.now() - start;
      if (name === "out") stdout += chunk;
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) keep(t, name, line);
    });
    drained.push(
      new Promise((resolve) =>
        stream.on("close", () => {
          if (rest !== "") keep(performance.now() - start, name, rest);
          resolve();
        }),
      ),
    );
  };
  take(child.stdout, "out");
  take(child.stderr, "err");
  let timedOut = false;
  const timer =
    options.timeoutMs && child.pid
      ? setTimeout(() => {
          timedOut = true;
          killGroup(child.pid, "SIGTERM");
          setTimeout(() => killGroup(child.pid, "SIGKILL"), 5000).unref();
        }, options.timeoutMs)
      : undefined;
  const result = await child;
  const wallMs = performance.now() - start;
  clearTimeout(timer);
  clearInterval(poll);
  if (child.pid) running.delete(child.pid);
  // Let the last chunks of output land before reading them.
  await Promise.race([Promise.all(drained), delay(2000)]);
  const exitCode = typeof result.exitCode === "number" ? result.exitCode : -1;
  appendFileSync(
    options.log,
    `# exit ${exitCode}${timedOut ? " (timed out)" : ""}${result.signal ? ` signal ${result.signal}` : ""} after ${(wallMs / 1000).toFixed(2)}s\n`,
  );
  if (result.failed && exitCode === -1 && result.message)
    appendFileSync(options.log, `# ${result.message}\n`);
  return { label, argv, exitCode, wallMs, timedOut, maxRssKb, lines, stdout, log: options.log };
}

function readStatus(pid) {
  try {
    return readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return "";
  }
}

/** A short command whose output we want (versions, image lists); never throws. */
export async function capture(argv, options = {}) {
  const [file, ...args] = argv;
  const result = await execa(file, args, {
    reject: false,
    stdin: "ignore",
    env: options.env ?? process.env,
    extendEnv: false,
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 120_000,
  });
  return {
    exitCode: typeof result.exitCode === "number" ? result.exitCode : -1,
    stdout: typeof result.stdout === "string" ? result.stdout.trim() : "",
    stderr: typeof result.stderr === "string" ? result.stderr.trim() : "",
  };
}

/** Appends a line to the bench's own log (what ran when), creating it as needed. */
export function note(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${new Date().toISOString()} ${text}\n`);
}
