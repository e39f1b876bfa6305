import { describe, expect, it } from "vitest";
import type { BuildJob } from "../../src/plan/index.js";
import type { JobOutcome } from "../../src/run/types.js";
import { resolveJobLimits, runWithinLimits } from "../../src/session/job-limits.js";

const job = { key: "api" } as BuildJob;

/** A job that never ends by itself: it reports cancelled once its signal is aborted. */
const endless = (signal: AbortSignal): Promise<JobOutcome> =>
  new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve({ status: "cancelled", errorLines: [] }), { once: true }),
  );

describe("runWithinLimits", () => {
  it("a job past its time limit is stopped and fails, saying why", async () => {
    const outcome = await runWithinLimits(
      job,
      new AbortController().signal,
      { timeoutMs: 100 },
      { warning: () => {} },
      endless,
    );
    expect(outcome).toEqual({
      status: "failed",
      errorLines: ["stopped: api ran longer than its time limit of 0.1s (timeout)"],
    });
  });

  it("an interrupt stays a cancellation, not a time-limit failure", async () => {
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 20);
    const outcome = await runWithinLimits(
      job,
      interrupt.signal,
      { timeoutMs: 60_000 },
      { warning: () => {} },
      endless,
    );
    expect(outcome.status).toBe("cancelled");
  });

  it("a job within its limit keeps its own outcome", async () => {
    const outcome = await runWithinLimits(
      job,
      new AbortController().signal,
      { timeoutMs: 60_000 },
      { warning: () => {} },
      async () => ({ status: "built", steps: 3 }),
    );
    expect(outcome).toEqual({ status: "built", steps: 3 });
  });

  it("silence is reported after each stall period, with what the engine says; output starts it again", async () => {
    const warnings: string[] = [];
    await runWithinLimits(
      job,
      new AbortController().signal,
      { stallWarningMs: 200 },
      { warning: (w) => warnings.push(w), describeStall: async () => "the engine answers" },
      async (_signal, onOutput) => {
        await new Promise((r) => setTimeout(r, 450)); // two periods of silence
        onOutput();
        await new Promise((r) => setTimeout(r, 100)); // half a period after the line
        return { status: "built" };
      },
    );
    expect(warnings).toEqual([
      "api: no output for 0.2s; the engine answers",
      "api: no output for 0.4s; the engine answers",
    ]);
  });
});

describe("resolveJobLimits", () => {
  it.each([
    [{}, {}, { timeoutMs: undefined, stallWarningMs: 60_000 }],
    [{}, { timeout: "10m", stallWarning: 30 }, { timeoutMs: 600_000, stallWarningMs: 30_000 }],
    [
      { timeoutMs: 5_000, stallWarningMs: 0 },
      { timeout: "10m", stallWarning: 30 },
      { timeoutMs: 5_000, stallWarningMs: 0 },
    ],
  ])("options %j over config %j → %j", (options, config, expected) => {
    expect(resolveJobLimits(options, config)).toEqual(expected);
  });
});
