// The builders scenario's and the simulation's pure parts: `node --test bench/lib/*.test.mjs` (no engine).
// The simulation runs the built scheduler (dist/run.js): `pnpm build` first.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildersConfig, jobsPerBuilder, runOrder, summarizeBuilders } from "./builders.mjs";
import {
  formatSimMs,
  renderBuildersSection,
  renderSimulationSection,
  renderSimulationSvg,
} from "./builders-report.mjs";
import { dockerdArgs, registryConfig } from "./engines.mjs";
import { criticalPathMs, generateGraph, seededRandom } from "./sim-graph.mjs";
import { COSTS, createClock, idealMs, policies, simulateRun } from "./simulate.mjs";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = join(repoRoot, "dist", "run.js");

describe("builders scenario", () => {
  it("writes the config of the first N engines with a registry", () => {
    assert.equal(
      buildersConfig(["unix:///a.sock", "unix:///b.sock", "unix:///c.sock"], 2, "127.0.0.1:5999/bench-r1-b2"),
      [
        "builders:",
        "  - name: b1",
        "    endpoint: docker:unix:///a.sock",
        "    slots: 4",
        "  - name: b2",
        "    endpoint: docker:unix:///b.sock",
        "    slots: 4",
        "registry: 127.0.0.1:5999/bench-r1-b2",
        "",
      ].join("\n"),
    );
  });

  it("rotates the order of the builder counts from run to run", () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((run) => runOrder([1, 2, 3], run)),
      [
        [1, 2, 3],
        [2, 3, 1],
        [3, 1, 2],
        [1, 2, 3],
      ],
    );
  });

  it("counts where builds started from --progress plain lines", () => {
    const lines = [
      "svc-01 | started on b2",
      "svc-02 | started on b1",
      "svc-03 | started on b2",
      "svc-03 | built in 5.1s",
    ];
    assert.deepEqual(jobsPerBuilder(lines.map((line) => ({ t: 0, line }))), { b2: 2, b1: 1 });
  });

  const sample = (builders, wallMs, ok = true) => ({ builders, wallMs, ok });
  it("passes when the time falls with each builder, to at most 0.45 with three", () => {
    const s = summarizeBuilders([
      sample(1, 100),
      sample(1, 110),
      sample(2, 60),
      sample(2, 58),
      sample(3, 44),
      sample(3, 46),
    ]);
    assert.deepEqual(
      s.rows.map((r) => [r.builders, r.medianMs, r.ratio]),
      [
        [1, 105, 1],
        [2, 59, 59 / 105],
        [3, 45, 45 / 105],
      ],
    );
    assert.equal(s.verdict, "pass");
  });
  it("misses when three builders are slower than 0.45, or a builder adds time", () => {
    assert.match(
      summarizeBuilders([sample(1, 100), sample(2, 60), sample(3, 50)]).why,
      /0\.50 × one builder's time/,
    );
    assert.match(summarizeBuilders([sample(1, 100), sample(2, 40), sample(3, 42)]).why, /does not fall/);
    assert.equal(summarizeBuilders([sample(1, 100), sample(2, 60, false), sample(3, 40)]).verdict, "failed");
  });

  it("starts engines with their own socket, roots, pid file and bridge, never --bridge=none", () => {
    const args = dockerdArgs("/tmp/e1", "dbkbench1");
    assert.deepEqual(args, [
      "--host=unix:///tmp/e1/docker.sock",
      "--data-root=/tmp/e1/data",
      "--exec-root=/tmp/e1/exec",
      "--pidfile=/tmp/e1/docker.pid",
      "--iptables=false",
      "--bridge=dbkbench1",
    ]);
    assert.match(
      registryConfig("/tmp/r", "127.0.0.1:5999"),
      /addr: 127\.0\.0\.1:5999\n[\s\S]*rootdirectory: \/tmp\/r\/storage/,
    );
  });

  it("renders its section", () => {
    const samples = [
      { builders: 1, run: 1, wallMs: 90_000, ok: true, perBuilder: { b1: 40 }, log: "a.log", load: 1.5 },
      {
        builders: 3,
        run: 1,
        wallMs: 36_000,
        ok: true,
        perBuilder: { b1: 14, b2: 13, b3: 13 },
        log: "c.log",
        load: 2,
      },
    ];
    const text = renderBuildersSection({
      services: 40,
      slots: 4,
      work: { sleep: 5 },
      samples,
      summary: summarizeBuilders(samples, [1, 3]),
    });
    assert.match(text, /\| 1 \| 1 m 30 s \| 1\.00 \| b1: 40 \|/);
    assert.match(text, /\| 3 \| 36\.0 s \| 0\.40 \| b1: 14, b2: 13, b3: 13 \| falls; ≤ 0\.45 \|/);
    assert.match(text, /Result: ✅ pass/);
  });
});

describe("simulated graphs", () => {
  it("are the same for the same seed, and acyclic with dependencies built first", () => {
    const a = generateGraph(500, 500);
    assert.deepEqual(generateGraph(500, 500), a);
    assert.notDeepEqual(generateGraph(500, 501), a);
    const index = new Map(a.map((s, i) => [s.key, i]));
    assert.ok(a.every((s, i) => s.dependsOn.every((d) => index.get(d) < i)));
    const kinds = (kind) => a.filter((s) => s.kind === kind).length;
    assert.deepEqual([kinds("base"), kinds("lib"), kinds("app")], [10, 90, 400]);
    assert.ok(a.filter((s) => s.kind === "app").every((s) => s.dependsOn.length >= 2));
  });
  it("measures the longest chain", () => {
    const services = [
      { key: "a", dependsOn: [], coldMs: 10 },
      { key: "b", dependsOn: ["a"], coldMs: 5 },
      { key: "c", dependsOn: ["a", "b"], coldMs: 1 },
      { key: "d", dependsOn: [], coldMs: 12 },
    ];
    assert.equal(
      criticalPathMs(services, (s) => s.coldMs),
      16,
    );
  });
  it("draws numbers in [0, 1) from a seed", () => {
    const random = seededRandom(3);
    const draws = Array.from({ length: 1000 }, random);
    assert.ok(draws.every((d) => d >= 0 && d < 1));
    assert.deepEqual(Array.from({ length: 3 }, seededRandom(3)), draws.slice(0, 3));
  });
});

describe("the simulated clock", () => {
  it("wakes sleepers in time order and moves only when all wait", async () => {
    const clock = createClock();
    const woke = [];
    const work = Promise.all(
      [30, 10, 20].map(async (ms) => {
        await clock.sleep(ms);
        woke.push([ms, clock.now()]);
      }),
    );
    await clock.drive(work);
    assert.deepEqual(woke, [
      [10, 10],
      [20, 20],
      [30, 30],
    ]);
  });
});

describe(
  "the simulation, with the real scheduler",
  { skip: existsSync(dist) ? false : "dist/run.js is not built (pnpm build)" },
  () => {
    it("a chain on one builder takes its builds, its pulls and pushes, nothing more", async () => {
      const scheduler = await import(pathToFileURL(dist).href);
      const services = [
        { key: "base", dependsOn: [], coldMs: 10_000, bytes: 125_000_000 },
        { key: "app", dependsOn: ["base"], coldMs: 20_000, bytes: 0 },
      ];
      const transfer = (bytes) => COSTS.latencyMs + bytes / COSTS.bandwidthBytesPerMs;
      const run = await simulateRun({
        scheduler,
        services,
        count: 1,
        slots: 1,
        policy: policies(scheduler)["affinity + hash"],
      });
      assert.equal(run.makespanMs, 10_000 + transfer(125_000_000) + 20_000 + transfer(0));
      assert.equal(run.handOffBytes, 0);
      const warm = await simulateRun({
        scheduler,
        services,
        count: 1,
        slots: 1,
        policy: policies(scheduler).random,
        previous: run.placement,
      });
      assert.equal(warm.warm, 2);
      assert.equal(warm.makespanMs, 30_000 * COSTS.warmFactor + transfer(125_000_000) + transfer(0));
    });
    it("on two builders, an image built on one and needed on the other is handed off once per builder", async () => {
      const scheduler = await import(pathToFileURL(dist).href);
      const services = [
        { key: "base", dependsOn: [], coldMs: 1000, bytes: 50_000_000 },
        ...["a", "b", "c", "d"].map((key) => ({ key, dependsOn: ["base"], coldMs: 10_000, bytes: 1 })),
      ];
      const run = await simulateRun({
        scheduler,
        services,
        count: 2,
        slots: 2,
        policy: policies(scheduler)["affinity + hash"],
      });
      assert.equal(run.handOffBytes, 50_000_000);
      assert.deepEqual(new Set(run.placement.values()).size, 2);
      assert.ok(idealMs(services, 2, 2) < run.makespanMs);
    });
    it("renders the table and the chart", async () => {
      const rows = ["affinity + hash", "random"].flatMap((policy, i) =>
        [1, 4].map((builders) => ({
          n: 500,
          builders,
          slots: 4,
          policy,
          makespanMs: 3_700_000 / builders,
          efficiency: 0.9 / builders + i * 0.01,
          warmShare: 0.5,
          handOffBytes: 27_300_000_000,
          coldRunMakespanMs: 1,
          idealMs: 1,
        })),
      );
      const text = renderSimulationSection({ rows, costs: COSTS, slots: 4, runs: 2 }, "sim.svg");
      assert.match(
        text,
        /\| 4 \| 15 m 25 s · 0\.23 · 50% · 27\.3 GB \| 15 m 25 s · 0\.24 · 50% · 27\.3 GB \|/,
      );
      assert.match(text, /!\[efficiency by number of builders and placement\]\(sim\.svg\)/);
      const svg = renderSimulationSvg(rows);
      assert.equal((svg.match(/<polyline /g) ?? []).length, 2);
      assert.equal(formatSimMs(3_723_000), "1 h 02 m");
    });
  },
);
