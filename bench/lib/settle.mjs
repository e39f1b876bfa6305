// Before each timed run the machine is let go quiet, so that a run does not pay for what the one before it left
// behind: the dirty pages of the images it wrote (the kernel writes them out seconds later) and the engine's own
// clean-up after a prune. `sync` writes the pages out, then the CPUs must be idle for a short window. Every tool
// gets the same wait before each of its runs; the wait is not timed.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** The bench's setting: 90% idle over half a second, for at most 10 s. */
export const SETTLE = { idle: 0.9, windowMs: 500, maxMs: 10_000 };

/** The machine's CPU ticks from `/proc/stat`'s first line: all of them, and the idle ones (idle + iowait). */
export function parseCpuLine(text) {
  const line = text.split("\n", 1)[0] ?? "";
  const [name, ...rest] = line.trim().split(/\s+/);
  const ticks = rest.map(Number);
  if (name !== "cpu" || ticks.length < 5 || !ticks.every(Number.isFinite)) return undefined;
  return { total: ticks.reduce((a, b) => a + b, 0), idle: ticks[3] + ticks[4] };
}

const readProcStat = () => {
  try {
    return parseCpuLine(readFileSync("/proc/stat", "utf8"));
  } catch {
    return undefined;
  }
};

const runSync = () =>
  new Promise((resolve) => {
    execFile("sync", () => resolve());
  });

/**
 * `sync`, then wait until one window of `windowMs` has the CPUs at least `idle` idle, for at most `maxMs`.
 * Where `/proc/stat` cannot be read it only syncs. Returns how long it waited and whether the machine went quiet.
 * @returns {Promise<{ waitedMs: number, quiet: boolean }>}
 */
export async function settle({
  idle = 0.9,
  windowMs = 500,
  maxMs = 10_000,
  read = readProcStat,
  wait = sleep,
  flush = runSync,
  now = () => performance.now(),
} = {}) {
  const started = now();
  await flush();
  let before = read();
  if (before === undefined) return { waitedMs: now() - started, quiet: false };
  for (;;) {
    await wait(windowMs);
    const after = read();
    if (after === undefined) return { waitedMs: now() - started, quiet: false };
    const ticks = after.total - before.total;
    if (ticks > 0 && (after.idle - before.idle) / ticks >= idle)
      return { waitedMs: now() - started, quiet: true };
    if (now() - started >= maxMs) return { waitedMs: now() - started, quiet: false };
    before = after;
  }
}
