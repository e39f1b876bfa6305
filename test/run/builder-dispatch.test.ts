import { describe, expect, it } from "vitest";
import { rendezvousBuilder, type BuilderSlots } from "../../src/place/index.js";
import type { BuildJob } from "../../src/plan/types.js";
import { runJobs } from "../../src/run/scheduler.js";
import type { Attempt, JobOutcome } from "../../src/run/types.js";
import { makeJob } from "../helpers/build-job.js";

const builder = (name: string, slots: number, labels: string[] = []): BuilderSlots => ({
  name,
  slots,
  platforms: [],
  labels,
});

function job(key: string, dependsOn: string[] = [], extra: Partial<BuildJob> = {}): BuildJob {
  return makeJob(key, { dependsOn, placementKey: `apps/${key}`, ...extra });
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });

interface Script {
  durations?: Record<string, number>;
  /** Jobs whose build fails (a Dockerfile step). */
  failing?: string[];
  /** A builder that stops answering when any job on it has run this long (ms). */
  dies?: { builder: string; afterMs: number };
  /** Jobs found in the registry: they run nowhere. */
  elsewhere?: string[];
}

/** Run jobs over builders with a scripted `execute`; record each attempt and the most builds at once per builder. */
async function run(
  jobs: BuildJob[],
  builders: BuilderSlots[],
  script: Script = {},
  extra: { keepGoing?: boolean; concurrency?: number; existing?: string[] } = {},
) {
  const attempts: { key: string; builder: string; number: number }[] = [];
  const busy = new Map<string, number>();
  const peak = new Map<string, number>();
  const down: string[] = [];
  let dead = false;
  const results = await runJobs(jobs, {
    concurrency: extra.concurrency ?? 100,
    keepGoing: extra.keepGoing ?? false,
    builders: {
      builders,
      existing: new Set(extra.existing ?? []),
      onBuilderDown: (b, why) => down.push(`${b}: ${why}`),
    },
    execute: async (j, signal, attempt?: Attempt): Promise<JobOutcome> => {
      const on = attempt?.builder ?? "?";
      attempts.push({ key: j.key, builder: on, number: attempt?.number ?? 0 });
      busy.set(on, (busy.get(on) ?? 0) + 1);
      peak.set(on, Math.max(peak.get(on) ?? 0, busy.get(on) ?? 0));
      try {
        if (script.elsewhere?.includes(j.key)) return { status: "up-to-date", elsewhere: true };
        const dies = script.dies?.builder === on ? script.dies : undefined;
        if (dies !== undefined && dead)
          return { status: "failed", errorLines: ["connection refused"], builderDown: "connection refused" };
        const completed = await sleep(
          dies !== undefined
            ? Math.min(dies.afterMs, script.durations?.[j.key] ?? 20)
            : (script.durations?.[j.key] ?? 20),
          signal,
        );
        if (!completed) return { status: "cancelled" };
        if (dies !== undefined && (script.durations?.[j.key] ?? 20) > dies.afterMs) {
          dead = true;
          return { status: "failed", errorLines: ["EOF"], builderDown: "the engine went away" };
        }
        if (script.failing?.includes(j.key)) return { status: "failed", errorLines: ["RUN exit 3"] };
        return { status: "built" };
      } finally {
        busy.set(on, (busy.get(on) ?? 0) - 1);
      }
    },
  });
  const by = Object.fromEntries(results.map((r) => [r.job.key, r]));
  return { results, by, attempts, peak: Object.fromEntries(peak), down };
}

describe("runJobs over builders", () => {
  it("never runs more builds on a builder than its slots, and fills every builder", async () => {
    const jobs = Array.from({ length: 18 }, (_, i) => job(`s${i}`));
    const { peak, by } = await run(jobs, [builder("b1", 2), builder("b2", 1), builder("b3", 3)], {
      durations: Object.fromEntries(jobs.map((j) => [j.key, 30])),
    });
    expect(peak).toEqual({ b1: 2, b2: 1, b3: 3 });
    expect(Object.values(by).every((r) => r.status === "built" && r.builder !== undefined)).toBe(true);
  });

  it("sends a build to the builder of its upstream image, and moves it only when that one is full", async () => {
    const jobs = [
      job("base", [], { builderRequest: { builder: "b2", labels: [] } }),
      job("a", ["base"]),
      job("b", ["base"]),
      job("c", ["base"]),
    ];
    const { by } = await run(jobs, [builder("b1", 2), builder("b2", 2), builder("b3", 1)], {
      durations: { base: 5, a: 50, b: 50, c: 50 },
    });
    expect(by.base?.builder).toBe("b2");
    const onB2 = ["a", "b", "c"].filter((k) => by[k]?.builder === "b2");
    expect(onB2).toHaveLength(2);
    const moved = ["a", "b", "c"].find((k) => by[k]?.builder !== "b2");
    expect(by[moved as string]?.builder).toBe("b1");
  });

  it("a job found elsewhere ran on no builder, and its dependents go by the hash", async () => {
    const { by } = await run([job("base"), job("app", ["base"])], [builder("b1", 1), builder("b2", 1)], {
      elsewhere: ["base"],
    });
    expect(by.base).toMatchObject({ status: "up-to-date" });
    expect(by.base?.builder).toBeUndefined();
    expect(by.app?.status).toBe("built");
  });

  it("a build pinned to a builder that stops answering has no fitting builder left", async () => {
    const pinned = job("x", [], { builderRequest: { builder: "b2", labels: [] } });
    const { by, attempts, down } = await run([pinned, job("p")], [builder("b1", 4), builder("b2", 4)], {
      dies: { builder: "b2", afterMs: 15 },
      durations: { x: 100, p: 60 },
    });
    expect(down).toEqual(["b2: the engine went away"]);
    expect(by.x).toMatchObject({
      status: "failed",
      noBuilder: ["b1: is not b2, the builder the build asks for", "b2: down (the engine went away)"],
    });
    expect(attempts.filter((a) => a.key === "x")).toHaveLength(1);
  });

  it("a job whose result exists runs on no builder: no slot, no fitting builder needed", async () => {
    const pinnedAway = job("base", [], { builderRequest: { builder: "elsewhere", labels: [] } });
    const { by, attempts, peak } = await run(
      [pinnedAway, job("app", ["base"])],
      [builder("b1", 1)],
      { elsewhere: ["base"] },
      { existing: ["base"] },
    );
    expect(attempts).toEqual([
      { key: "base", builder: "?", number: 1 },
      { key: "app", builder: "b1", number: 1 },
    ]);
    expect(by.base?.status).toBe("up-to-date");
    expect(by.base?.builder).toBeUndefined();
    expect(by.app).toMatchObject({ status: "built", builder: "b1" });
    expect(peak.b1).toBe(1);
  });

  it("a freed slot goes first to a waiting build that prefers that builder, then to one that must move", async () => {
    const b1b2 = [builder("b1", 1), builder("b2", 1)];
    // w1 prefers b1 by the hash of its context, and has a longer chain behind it than app2.
    const towardB1 = ["w-a", "w-b", "w-c", "w-d"].find(
      (k) => rendezvousBuilder(k, b1b2)?.name === "b1",
    ) as string;
    const jobs = [
      job("long1", [], { builderRequest: { builder: "b1", labels: [] } }),
      job("base2", [], { builderRequest: { builder: "b2", labels: [] } }),
      job("app2", ["base2"]),
      job("w1", [], { placementKey: towardB1 }),
      job("w2", ["w1"]),
      // long1 has the longest chain: it starts first and holds b1
      job("t1", ["long1"]),
      job("t2", ["t1"]),
    ];
    const { attempts, by } = await run(jobs, b1b2, {
      durations: { long1: 300, base2: 10, app2: 20, w1: 10, w2: 10 },
    });
    const order = attempts.map((a) => a.key);
    // When base2 ends, b2's slot goes to app2 (built on base2 there), not to w1, which would have to move.
    expect(order.indexOf("app2")).toBeLessThan(order.indexOf("w1"));
    expect(by.app2?.builder).toBe("b2");
    // b1 is still busy when app2 ends: then w1 moves.
    expect(by.w1?.builder).toBe("b2");
  });

  it("builds of one context stay together when they must move: they share stages there", async () => {
    // hog holds b1, where base was built; the pair built on base (one Dockerfile, two targets) moves as one.
    const jobs = [
      job("base", [], { builderRequest: { builder: "b1", labels: [] } }),
      job("hog", ["base"], { builderRequest: { builder: "b1", labels: [] } }),
      job("hog2", ["hog"]),
      job("api", ["base"], { placementKey: "apps/pair" }),
      job("worker", ["base"], { placementKey: "apps/pair" }),
    ];
    const { by } = await run(jobs, [builder("b1", 1), builder("b2", 2), builder("b3", 2)], {
      durations: { base: 5, hog: 200, api: 30, worker: 30 },
    });
    expect(by.api?.builder).not.toBe("b1");
    expect(by.worker?.builder).toBe(by.api?.builder);
  });

  it("jobs stopped on a failed builder finish on another, and say where they first ran", async () => {
    const jobs = ["p", "q", "r", "s"].map((k) => job(k));
    const builders = [builder("b1", 4), builder("b2", 4)];
    const { by, attempts } = await run(jobs, builders, {
      dies: { builder: "b2", afterMs: 15 },
      durations: { p: 60, q: 60, r: 60, s: 60 },
    });
    const movedAway = jobs
      .map((j) => j.key)
      .filter((k) => attempts.some((a) => a.key === k && a.builder === "b2"));
    expect(movedAway.length).toBeGreaterThan(0);
    for (const key of movedAway) {
      expect(by[key]).toMatchObject({ status: "built", builder: "b1", retriedFrom: "b2" });
      expect(attempts.filter((a) => a.key === key).map((a) => [a.builder, a.number])).toEqual([
        ["b2", 1],
        ["b1", 2],
      ]);
    }
  });

  it("a failed Dockerfile step is the build's failure: not run again, the builder stays", async () => {
    const { by, attempts, down } = await run(
      [job("bad"), job("good")],
      [builder("b1", 1), builder("b2", 1)],
      {
        failing: ["bad"],
      },
      { keepGoing: true },
    );
    expect(by.bad?.status).toBe("failed");
    expect(by.bad?.errorLines).toEqual(["RUN exit 3"]);
    expect(attempts.filter((a) => a.key === "bad")).toHaveLength(1);
    expect(down).toEqual([]);
    expect(by.good?.status).toBe("built");
  });

  it("caps the builds at once over all builders", async () => {
    const jobs = Array.from({ length: 8 }, (_, i) => job(`s${i}`));
    let now = 0;
    let peak = 0;
    await runJobs(jobs, {
      concurrency: 3,
      keepGoing: false,
      builders: { builders: [builder("b1", 4), builder("b2", 4)] },
      execute: async (_j, signal) => {
        now += 1;
        peak = Math.max(peak, now);
        await sleep(10, signal);
        now -= 1;
        return { status: "built" };
      },
    });
    expect(peak).toBe(3);
  });

  it("a job no builder fits fails at once, naming every builder and why", async () => {
    const { by } = await run(
      [job("gpu", [], { builderRequest: { labels: ["gpu"] } }), job("after", ["gpu"])],
      [builder("b1", 1), builder("b2", 1, ["large"])],
    );
    expect(by.gpu).toMatchObject({
      status: "failed",
      noBuilder: ["b1: lacks the label gpu", "b2: lacks the label gpu"],
      errorLines: ["no fitting builder is left:", "b1: lacks the label gpu", "b2: lacks the label gpu"],
    });
    expect(by.after?.status).toBe("cancelled");
  });
});
