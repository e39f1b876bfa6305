import { describe, expect, it } from "vitest";
import { runJobs } from "../../src/run/scheduler.js";
import type { JobOutcome, JobResult } from "../../src/run/types.js";
import type { BuildJob } from "../../src/plan/types.js";
import { makeJob } from "../helpers/build-job.js";

function job(id: string, dependsOn: string[] = []): BuildJob {
  return makeJob(id, { context: "/ctx", tags: [`test/${id}`], dependsOn });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });

/** Run jobs where each takes `durations[id]` ms and those in `failing` fail; record the order of events. */
async function run(
  jobs: BuildJob[],
  opts: {
    durations?: Record<string, number>;
    failing?: string[];
    concurrency?: number;
    keepGoing?: boolean;
    signal?: AbortSignal;
  } = {},
) {
  const events: string[] = [];
  const results = await runJobs(jobs, {
    concurrency: opts.concurrency ?? 4,
    keepGoing: opts.keepGoing ?? false,
    signal: opts.signal,
    execute: async (j, signal): Promise<JobOutcome> => {
      events.push(`start ${j.key}`);
      const completed = await sleep(opts.durations?.[j.key] ?? 10, signal);
      events.push(`end ${j.key}`);
      if (!completed) return { status: "cancelled" };
      if (opts.failing?.includes(j.key)) return { status: "failed", errorLines: [`${j.key}: exit 1`] };
      return { status: "built", imageId: `sha256:${j.key}` };
    },
  });
  const status = Object.fromEntries(results.map((r: JobResult) => [r.job.key, r.status]));
  return { events, status, results };
}

describe("runJobs", () => {
  it("starts a job as soon as its own dependencies finish, not when the whole level does", async () => {
    // base-fast → app-fast must not wait for slow (same level as base-fast)
    const { events } = await run([job("slow"), job("base-fast"), job("app-fast", ["base-fast"])], {
      durations: { slow: 200, "base-fast": 10, "app-fast": 10 },
    });
    expect(events.indexOf("start app-fast")).toBeLessThan(events.indexOf("end slow"));
  });

  it("with no limit (the default), starts every job that is ready at once", async () => {
    const apps = Array.from({ length: 50 }, (_, i) => job(`app-${i}`, ["base"]));
    const { events } = await run([job("base"), ...apps], { concurrency: Number.POSITIVE_INFINITY });
    const firstEnd = events.indexOf("end app-0");
    const starts = events.filter((e) => e.startsWith("start app-"));
    expect(starts).toHaveLength(50);
    // all fifty started together, once base ended and before any of them ended
    expect(events.slice(2, 52).every((e) => e.startsWith("start app-"))).toBe(true);
    expect(firstEnd).toBeGreaterThanOrEqual(52);
  });

  it("never starts a job before its dependencies end", async () => {
    const { events, status } = await run([job("c", ["b"]), job("b", ["a"]), job("a")]);
    expect(events).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(status).toEqual({ c: "built", b: "built", a: "built" });
  });

  it("runs the job with the longest remaining chain first when slots are scarce", async () => {
    const { events } = await run(
      [job("leaf1"), job("leaf2"), job("root"), job("mid", ["root"]), job("top", ["mid"])],
      {
        concurrency: 1,
      },
    );
    expect(events[0]).toBe("start root");
  });

  it("fails fast: nothing new starts, running jobs are stopped, the rest is cancelled", async () => {
    const { status, events } = await run([job("bad"), job("long"), job("after", ["long"])], {
      durations: { bad: 10, long: 5000 },
      failing: ["bad"],
      concurrency: 2,
    });
    expect(status).toEqual({ bad: "failed", long: "cancelled", after: "cancelled" });
    expect(events).not.toContain("start after");
  });

  it("keeps going: independent jobs build, dependents of the failure are skipped with a reason", async () => {
    const { status, results } = await run(
      [
        job("bad"),
        job("child", ["bad"]),
        job("grandchild", ["child"]),
        job("other"),
        job("other2", ["other"]),
      ],
      { failing: ["bad"], keepGoing: true },
    );
    expect(status).toEqual({
      bad: "failed",
      child: "skipped",
      grandchild: "skipped",
      other: "built",
      other2: "built",
    });
    expect(results.find((r) => r.job.key === "grandchild")?.reason).toBe("bad failed");
    expect(results.find((r) => r.job.key === "bad")?.errorLines).toEqual(["bad: exit 1"]);
  });

  it("an interrupt stops running jobs and cancels pending ones", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const { status } = await run([job("a"), job("long"), job("next", ["long"])], {
      durations: { a: 5, long: 5000 },
      signal: controller.signal,
    });
    expect(status).toEqual({ a: "built", long: "cancelled", next: "cancelled" });
  });

  it("an execute that throws is a failed job, not a crash", async () => {
    const results = await runJobs([job("x")], {
      concurrency: 1,
      keepGoing: false,
      execute: () => Promise.reject(new Error("engine went away")),
    });
    expect(results[0]).toMatchObject({ status: "failed", errorLines: ["engine went away"] });
  });
});
