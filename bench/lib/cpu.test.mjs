// The CPU counts: /proc parsing and which dockerd serves a host (pure), and the counts on this very process.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { parseStat, servesHost, startCpuCount, treeCpuMs, waitedChildrenCpuMs } from "./cpu.mjs";

describe("parseStat", () => {
  it("reads user, system and waited-for children's ticks, whatever the command name holds", () => {
    const fields = (comm) =>
      `4242 (${comm}) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 50 30 20 20 0 12 0 1000 2000000 500`;
    for (const comm of ["dockerd", "a b) c", "(x)"]) {
      assert.deepEqual(parseStat(fields(comm)), { ownMs: 2000, childrenMs: 500 }, comm);
    }
    assert.equal(parseStat("garbage"), undefined);
    assert.equal(parseStat("1 (x) S 1"), undefined);
  });
});

describe("servesHost", () => {
  const bench = "unix:///tmp/dbk-bench-engine/docker.sock";
  it("matches the socket a dockerd was told to serve, in every spelling of the flag", () => {
    assert.equal(servesHost([`--host=${bench}`, "--data-root=/x"], bench), true);
    assert.equal(servesHost(["--host", bench], bench), true);
    assert.equal(servesHost(["-H", bench], bench), true);
    assert.equal(servesHost([`-H=${bench}`], bench), true);
    assert.equal(servesHost(["--host=unix:///other.sock"], bench), false);
  });
  it("takes a dockerd with no host flag for the default socket only", () => {
    assert.equal(servesHost([], undefined), true);
    assert.equal(servesHost([], "unix:///var/run/docker.sock"), true);
    assert.equal(servesHost([], bench), false);
    assert.equal(servesHost([`--host=${bench}`], undefined), false);
  });
});

describe("counting CPU on this machine", () => {
  it("counts a finished child's CPU on the tool's side, and this process's tree as a whole", () => {
    const before = treeCpuMs(process.pid);
    assert.ok(before !== undefined && before > 0, "this process's own CPU is readable");
    const count = startCpuCount(undefined);
    const child = spawnSync(process.execPath, [
      "-e",
      "const t = Date.now(); while (Date.now() - t < 300) {}",
    ]);
    assert.equal(child.status, 0);
    const { toolCpuMs, engineCpuMs } = count();
    // the child spun for 300 ms of wall time; on a loaded machine it may get fewer ticks, never none
    assert.ok(toolCpuMs !== undefined && toolCpuMs >= 50, `tool CPU ${toolCpuMs} ms`);
    assert.equal(engineCpuMs, undefined, "no engine pid, no engine count");
    assert.ok((waitedChildrenCpuMs() ?? 0) >= toolCpuMs);
  });
  it("counts a live process tree through its children", () => {
    const count = startCpuCount(process.pid);
    spawnSync(process.execPath, ["-e", "const t = Date.now(); while (Date.now() - t < 200) {}"]);
    const { engineCpuMs } = count();
    assert.ok(engineCpuMs !== undefined && engineCpuMs >= 30, `tree CPU ${engineCpuMs} ms`);
  });
});
