import { describe, expect, it } from "vitest";
import type { EngineHealth } from "../../src/backends/index.js";
import type { BuildJob } from "../../src/plan/index.js";
import type { JobResult } from "../../src/run/types.js";
import { watchEngine, withEngineLoss } from "../../src/session/engine-watch.js";
import { runFailure } from "../../src/session/run-failure.js";

const gone: EngineHealth = {
  answers: false,
  endpoint: "unix:///var/run/docker.sock",
  why: "no answer within 2 s (stopped or hung)",
};

function engine(answers: EngineHealth[]) {
  let asked = 0;
  return {
    asked: () => asked,
    health: async () => answers[Math.min(asked++, answers.length - 1)] as EngineHealth,
  };
}

const result = (key: string, status: JobResult["status"]): JobResult => ({
  job: { key, services: [key] } as unknown as BuildJob,
  status,
  durationMs: 0,
  steps: 0,
  cachedSteps: 0,
});

describe("watchEngine", () => {
  it("a failed build asks the engine; one that answers leaves the run alone", async () => {
    const fake = engine([{ answers: true }]);
    const watch = watchEngine(fake);
    watch.afterJob({ status: "built" });
    watch.afterJob({ status: "failed" });
    await watch.settled();
    expect([fake.asked(), watch.lost(), watch.signal.aborted]).toEqual([1, undefined, false]);
  });

  it("builds failing together share one question; an engine gone aborts the run", async () => {
    const fake = engine([gone]);
    const watch = watchEngine(fake);
    watch.afterJob({ status: "failed" });
    watch.afterJob({ status: "failed" });
    await watch.settled();
    expect(fake.asked()).toBe(1);
    expect(watch.lost()).toEqual({ endpoint: gone.endpoint, why: gone.why });
    expect(watch.signal.aborted).toBe(true);
  });

  it("a silent build's warning says whether the engine answers, and never stops the run", async () => {
    expect(await watchEngine(engine([{ answers: true }])).describeStall()).toBe(
      "the engine answers (a step that prints nothing while it works?)",
    );
    const watch = watchEngine(engine([gone]));
    expect(await watch.describeStall()).toBe(
      "the engine at unix:///var/run/docker.sock does not answer: no answer within 2 s (stopped or hung)",
    );
    expect([watch.lost(), watch.signal.aborted]).toEqual([undefined, false]);
  });
});

describe("a run whose engine was lost", () => {
  const loss = { endpoint: gone.endpoint, why: gone.why };
  const results = withEngineLoss(
    [result("base", "built"), result("api", "failed"), result("web", "cancelled")],
    loss,
  );

  it("names the engine in every unfinished job's result", () => {
    expect(results.map((r) => [r.job.key, r.status, r.reason])).toEqual([
      ["base", "built", undefined],
      ["api", "failed", `the Docker engine at ${gone.endpoint} stopped answering (${gone.why})`],
      ["web", "cancelled", `the Docker engine at ${gone.endpoint} stopped answering (${gone.why})`],
    ]);
  });

  it("ends with exit 3 naming the engine, unless it was interrupted (130)", () => {
    const failure = runFailure({ results, interrupted: false, engineLost: loss });
    expect([failure?.exitCode, failure?.message]).toEqual([
      3,
      `the Docker engine at ${gone.endpoint} stopped answering during the run (${gone.why}); 2 of 3 builds did not finish`,
    ]);
    expect(failure?.hint).toMatch(/^Start the engine again/);
    expect(runFailure({ results, interrupted: true, engineLost: loss })?.exitCode).toBe(130);
    expect(runFailure({ results, interrupted: false })?.exitCode).toBe(1);
  });
});
