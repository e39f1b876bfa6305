// The scheduler simulation: dockbuild's own scheduler (dist/run.js, the code `dockbuild` runs) replays
// generated graphs on simulated builders with a simulated clock. What a build costs: its build time — cold,
// or warm (a fraction) on the builder that built its context the run before — plus pulling each upstream
// image its builder does not hold yet, plus pushing its own result, at a given bandwidth and latency.
import { join } from "node:path";
import { setImmediate } from "node:timers";
import { pathToFileURL } from "node:url";
import { criticalPathMs, seededRandom } from "./sim-graph.mjs";

/** What a build costs besides its own work. */
export const COSTS = { warmFactor: 0.3, bandwidthBytesPerMs: 125_000, latencyMs: 300 };

/** A clock that only moves when everything is waiting on it: timers in a binary heap, popped in order. */
export function createClock() {
  const heap = [];
  let now = 0;
  let sequence = 0;
  const less = (a, b) => a.t < b.t || (a.t === b.t && a.n < b.n);
  const push = (item) => {
    heap.push(item);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  return {
    now: () => now,
    sleep: (ms) => new Promise((resolve) => push({ t: now + ms, n: sequence++, resolve })),
    /** Run `work` to its end, moving the clock to the next timer whenever every promise waits. */
    async drive(work) {
      let done = false;
      const settled = work.finally(() => (done = true));
      while (!done) {
        await new Promise((resolve) => setImmediate(resolve));
        if (done) break;
        const next = pop();
        if (next === undefined) throw new Error("the simulated run waits on nothing: the scheduler is stuck");
        now = next.t;
        next.resolve();
      }
      return settled;
    },
  };
}

/** The placement policies compared: dockbuild's, and two it could have had. */
export function policies(scheduler, seed = 7) {
  const random = seededRandom(seed);
  const free = (view) => view.fitting.filter((b) => view.busy(b.name) < b.slots);
  return {
    "affinity + hash": scheduler.affinityPlacement,
    random: (_job, view) => {
      const open = free(view);
      return open.length === 0 ? undefined : open[Math.floor(random() * open.length)].name;
    },
    "least-loaded": (_job, view) => scheduler.leastBusy(free(view), view.busy)?.name,
  };
}

/**
 * One run of `services` over `count` builders of `slots` each with the real scheduler. `previous` maps each
 * service to the builder that built it the run before (its cache is warm there); empty for a cold run.
 */
export async function simulateRun({
  scheduler,
  services,
  count,
  slots,
  policy,
  previous = new Map(),
  costs = COSTS,
}) {
  const clock = createClock();
  const byKey = new Map(services.map((s) => [s.key, s]));
  const builders = Array.from({ length: count }, (_, i) => ({
    name: `b${i + 1}`,
    slots,
    platforms: [],
    labels: [],
  }));
  const holders = new Map();
  const placement = new Map();
  let handOffBytes = 0;
  let pushedBytes = 0;
  let warm = 0;
  const transferMs = (bytes) => costs.latencyMs + bytes / costs.bandwidthBytesPerMs;
  const jobs = services.map((s) => ({
    key: s.key,
    services: [s.key],
    dependsOn: s.dependsOn,
    platforms: [],
    placementKey: `apps/${s.key}`,
  }));
  const results = await clock.drive(
    scheduler.runJobs(jobs, {
      concurrency: count * slots,
      keepGoing: false,
      now: clock.now,
      builders: { builders, policy },
      execute: async (job, _signal, attempt) => {
        const here = attempt.builder;
        const service = byKey.get(job.key);
        let ms = 0;
        for (const dep of service.dependsOn) {
          const held = holders.get(dep);
          if (held === undefined || held.has(here)) continue;
          held.add(here);
          const bytes = byKey.get(dep).bytes;
          handOffBytes += bytes;
          ms += transferMs(bytes);
        }
        const isWarm = previous.get(job.key) === here;
        if (isWarm) warm += 1;
        ms += Math.round(service.coldMs * (isWarm ? costs.warmFactor : 1));
        ms += transferMs(service.bytes);
        pushedBytes += service.bytes;
        await clock.sleep(ms);
        holders.set(job.key, new Set([here]));
        placement.set(job.key, here);
        return { status: "built" };
      },
    }),
  );
  const failed = results.filter((r) => r.status !== "built").length;
  if (failed > 0) throw new Error(`${failed} simulated builds did not finish`);
  return { makespanMs: clock.now(), handOffBytes, pushedBytes, warm, placement };
}

/** What no scheduler can beat: the longest chain, or all the work spread evenly, every build warm and local. */
export function idealMs(services, count, slots, costs = COSTS) {
  const warmMs = (s) => s.coldMs * costs.warmFactor;
  const work = services.reduce((sum, s) => sum + warmMs(s), 0);
  return Math.max(criticalPathMs(services, warmMs), work / (count * slots));
}

/**
 * Every policy on every builder count: a first (cold) run, then the next run, where every service is built
 * again with its cache warm on the builder that built it before. The numbers are the next run's.
 */
export async function simulateAll({ scheduler, graphs, counts, slots, say = () => {} }) {
  const rows = [];
  for (const [n, services] of graphs) {
    for (const count of counts) {
      const ideal = idealMs(services, count, slots);
      for (const [name, policy] of Object.entries(policies(scheduler))) {
        const first = await simulateRun({ scheduler, services, count, slots, policy });
        const next = await simulateRun({
          scheduler,
          services,
          count,
          slots,
          policy,
          previous: first.placement,
        });
        rows.push({
          n,
          builders: count,
          slots,
          policy: name,
          makespanMs: next.makespanMs,
          efficiency: ideal / next.makespanMs,
          handOffBytes: next.handOffBytes,
          warmShare: next.warm / services.length,
          coldRunMakespanMs: first.makespanMs,
          idealMs: ideal,
        });
      }
      say(`simulation: ${n} services on ${count} builder(s) done`);
    }
  }
  return rows;
}

/** Graph sizes and builder counts the bench simulates. */
export const SIMULATION = { sizes: [500, 5000], counts: [1, 2, 4, 8, 16, 32, 64], slots: 4 };

/** The whole simulation with the built scheduler (`dist/run.js`): rows for the report. */
export async function runSimulation({ repoRoot, say, sizes = SIMULATION.sizes, counts = SIMULATION.counts }) {
  const scheduler = await import(pathToFileURL(join(repoRoot, "dist", "run.js")).href);
  const { generateGraph } = await import("./sim-graph.mjs");
  const graphs = sizes.map((n) => [n, generateGraph(n, n)]);
  const rows = await simulateAll({ scheduler, graphs, counts, slots: SIMULATION.slots, say });
  return { rows, costs: COSTS, slots: SIMULATION.slots, runs: 2 };
}
