// Runs dockbuild as a user would (`bin/dockbuild.js …` as a program, in the project's folder) under GNU time, for the
// wall time, CPU time and peak memory of the whole process, with a hard time limit on its process group.
import { performance } from "node:perf_hooks";
import { clearTimeout, setTimeout } from "node:timers";
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";

export const GNU_TIME = "/usr/bin/time";

/** Output kept per stream: enough to judge a message, bounded whatever the CLI prints. */
const KEEP_BYTES = 256 * 1024;

/**
 * @typedef {object} RunResult
 * @property {string[]} command
 * @property {number | null} exitCode   null when ended by a signal
 * @property {string | null} signal
 * @property {boolean} killed           stopped by the hard time limit
 * @property {number} wallMs
 * @property {number | undefined} cpuMs  user + system
 * @property {number | undefined} maxRssKb
 * @property {string} stdout             at most KEEP_BYTES of it
 * @property {string} stderr
 * @property {number} stdoutBytes
 * @property {number} stderrBytes
 */

/**
 * @param {{ bin: string, cwd: string, home: string, args: string[], command: string[], env: Record<string, string>, hardLimitMs: number }} options
 * @returns {Promise<RunResult>}
 */
export function runCli({ bin, cwd, home, args, command, env, hardLimitMs }) {
  const timeFile = join(home, `time-${process.hrtime.bigint()}.txt`);
  // as a program, as npm's and pnpm's links start it: its first line hands it to the first `node` on PATH
  const argv = [bin, ...args, ...command];
  const useTime = existsSync(GNU_TIME);
  const [file, ...rest] = useTime ? [GNU_TIME, "-f", "%e %U %S %M", "-o", timeFile, ...argv] : argv;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(file, rest, {
      cwd,
      env: {
        // the Node running the harness is the `node` the program finds first
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
        HOME: home,
        NO_COLOR: "1",
        // nothing the fuzz runs may reach an engine: plan, ls and check need none
        DOCKER_HOST: "unix:///nonexistent/dockbuild-fuzz.sock",
        DOCKBUILD_DOCKER: "/nonexistent/docker",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const out = collector();
    const err = collector();
    child.stdout.on("data", out.add);
    child.stderr.on("data", err.add);
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, hardLimitMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const measured = useTime ? readTime(timeFile) : undefined;
      // GNU time exits with the command's status; a command ended by a signal is a line of its -o file
      const terminated = measured?.signal;
      resolve({
        command,
        exitCode: killed ? null : terminated ? null : code,
        signal: killed ? "SIGKILL" : terminated ? `signal ${terminated}` : signal,
        killed,
        wallMs,
        cpuMs: measured?.cpuMs,
        maxRssKb: measured?.maxRssKb,
        stdout: out.text(),
        stderr: err.text(),
        stdoutBytes: out.bytes(),
        stderrBytes: err.bytes(),
      });
    });
  });
}

function collector() {
  const chunks = [];
  let kept = 0;
  let total = 0;
  return {
    add: (chunk) => {
      total += chunk.length;
      if (kept < KEEP_BYTES) {
        chunks.push(chunk.subarray(0, KEEP_BYTES - kept));
        kept += Math.min(chunk.length, KEEP_BYTES - kept);
      }
    },
    text: () => Buffer.concat(chunks).toString("utf8"),
    bytes: () => total,
  };
}

function readTime(file) {
  try {
    const text = readFileSync(file, "utf8");
    rmSync(file, { force: true });
    const [, user, system, rss] = text.trim().split("\n").at(-1).split(" ").map(Number);
    if (![user, system, rss].every(Number.isFinite)) return undefined;
    const signal = /Command terminated by signal (\d+)/.exec(text)?.[1];
    return { cpuMs: (user + system) * 1000, maxRssKb: rss, signal };
  } catch {
    return undefined;
  }
}
