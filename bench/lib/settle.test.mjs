// The wait before each timed run: /proc/stat parsing, and when it stops waiting (fake counters and clock).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCpuLine, settle } from "./settle.mjs";

describe("parseCpuLine", () => {
  it("adds up every tick and counts idle and iowait as idle", () => {
    const text = "cpu  100 5 50 800 40 0 5 0 0 0\ncpu0 50 2 25 400 20 0 2 0 0 0\n";
    assert.deepEqual(parseCpuLine(text), { total: 1000, idle: 840 });
  });
  it("refuses anything that is not the machine's cpu line", () => {
    assert.equal(parseCpuLine("cpu0 1 2 3 4 5"), undefined);
    assert.equal(parseCpuLine("cpu 1 2 x 4 5"), undefined);
    assert.equal(parseCpuLine(""), undefined);
  });
});

/** A fake machine: each read returns the next window's ticks (100 per window), `busy` of them not idle. */
function machine(busyPerWindow) {
  let total = 0;
  let idle = 0;
  let window = 0;
  let clock = 0;
  const events = [];
  return {
    events,
    read: () => ({ total, idle }),
    wait: async (ms) => {
      const busy = busyPerWindow[Math.min(window, busyPerWindow.length - 1)];
      total += 100;
      idle += 100 - busy;
      window += 1;
      clock += ms;
      events.push(`wait ${ms}`);
    },
    flush: async () => {
      events.push("sync");
    },
    now: () => clock,
  };
}

describe("settle", () => {
  it("syncs first, then waits until one window is idle enough", async () => {
    const m = machine([80, 40, 5, 0]);
    const result = await settle({ ...m, idle: 0.9, windowMs: 500, maxMs: 10_000 });
    assert.deepEqual(m.events, ["sync", "wait 500", "wait 500", "wait 500"]);
    assert.deepEqual(result, { waitedMs: 1500, quiet: true });
  });
  it("gives up after maxMs on a machine that stays busy", async () => {
    const m = machine([100]);
    const result = await settle({ ...m, idle: 0.9, windowMs: 500, maxMs: 2000 });
    assert.deepEqual(result, { waitedMs: 2000, quiet: false });
    assert.equal(m.events.filter((e) => e.startsWith("wait")).length, 4);
  });
  it("only syncs where the CPU counters cannot be read", async () => {
    const m = machine([0]);
    const result = await settle({ ...m, read: () => undefined });
    assert.deepEqual(m.events, ["sync"]);
    assert.equal(result.quiet, false);
  });
  it("goes quiet at once on this machine when nothing else runs, within its limit", async () => {
    const result = await settle({ windowMs: 100, maxMs: 3000, idle: 0 });
    assert.equal(result.quiet, true);
    assert.ok(result.waitedMs >= 100 && result.waitedMs < 3000, `waited ${result.waitedMs} ms`);
  });
});
