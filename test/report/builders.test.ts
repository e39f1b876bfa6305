import { describe, expect, it } from "vitest";
import { createJsonReporter } from "../../src/report/json-reporter.js";
import { buildMetadata } from "../../src/report/metadata.js";
import { createPlainReporter } from "../../src/report/plain-reporter.js";
import { formatGithubStepSummary, formatSummary } from "../../src/report/summary.js";
import type { JobResult } from "../../src/run/types.js";
import { makeJob } from "../helpers/build-job.js";

const DIGEST = `sha256:${"c".repeat(64)}`;
/** Jobs planned for a run over builders carry how they name their upstream images. */
const overBuilders = { upstreamUses: {} };
const results: JobResult[] = [
  {
    job: makeJob("base", overBuilders),
    status: "up-to-date",
    durationMs: 40,
    steps: 0,
    cachedSteps: 0,
    registryImage: `r/base:ih-1@${DIGEST}`,
  },
  {
    job: makeJob("api", {
      ...overBuilders,
      services: ["api", "worker"],
      tags: ["acme/api:dev", "acme/worker:dev"],
    }),
    status: "built",
    durationMs: 9100,
    steps: 4,
    cachedSteps: 1,
    builder: "b1",
    retriedFrom: "b2",
    registryImage: `r/api:ih-2@${DIGEST}`,
    sizeBytes: 2000,
  },
  {
    job: makeJob("web", overBuilders),
    status: "built",
    durationMs: 5000,
    steps: 3,
    cachedSteps: 0,
    builder: "b2",
  },
];

describe("reports of a run over builders", () => {
  it("the metadata file says where each service ran and where its result is", () => {
    const metadata = buildMetadata(results);
    expect(metadata.base).toMatchObject({
      status: "up-to-date",
      builder: null,
      registryImage: `r/base:ih-1@${DIGEST}`,
    });
    expect(metadata.api).toMatchObject({
      builder: "b1",
      retriedFrom: "b2",
      registryImage: `r/api:ih-2@${DIGEST}`,
    });
    expect(metadata.worker).toMatchObject({ builder: "b1", sameBuildAs: "api" });
    expect(metadata.web).toMatchObject({ builder: "b2", registryImage: null });
  });

  it("the metadata of a run on one engine has no builder fields", () => {
    const single = buildMetadata([
      { job: makeJob("api"), status: "built", durationMs: 1, steps: 1, cachedSteps: 0 },
    ]);
    expect(single.api).not.toHaveProperty("builder");
    expect(single.api).not.toHaveProperty("registryImage");
  });

  it("the summary has a BUILDER column", () => {
    expect(formatSummary(results, { durationMs: 9400, interrupted: false })).toMatchInlineSnapshot(`
      "SERVICE  TARGET  STATUS      BUILDER              TIME  CACHED  SIZE
      base     -       up to date  registry             0.0s  -       -
      api      -       built       b1, after b2 failed  9.1s  1/4     2.0 kB
      worker   -       built                            same build as api
      web      -       built       b2                   5.0s  0/3     -

      3 built, 1 up to date, 0 failed, 0 skipped, 0 cancelled in 9.4s"
    `);
    expect(formatGithubStepSummary(results, { durationMs: 9400, interrupted: false })).toContain(
      "| Service | Target | Status | Builder | Time | Cached | Size |",
    );
  });

  it("progress events say where each job started, and again after its builder failed", () => {
    const lines: string[] = [];
    const json = createJsonReporter({ write: (t) => lines.push(t), now: () => 7 });
    const plain: string[] = [];
    const text = createPlainReporter({ write: (t) => plain.push(t) });
    const job = makeJob("api", overBuilders);
    text.runStarted?.([job]);
    for (const reporter of [json, text]) {
      reporter.jobStarted?.(job, { builder: "b2", number: 1, upstream: new Map() });
      reporter.jobStarted?.(job, { builder: "b1", number: 2, upstream: new Map() });
    }
    json.jobFinished?.(results[1] as JobResult);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      { event: "start", time: 7, service: "api", services: ["api"], target: null, builder: "b2", attempt: 1 },
      { event: "start", time: 7, service: "api", services: ["api"], target: null, builder: "b1", attempt: 2 },
      expect.objectContaining({
        event: "finish",
        service: "api",
        builder: "b1",
        registryImage: `r/api:ih-2@${DIGEST}`,
      }),
    ]);
    expect(plain).toEqual([
      "api | started on b2\n",
      "api | started on b1 (again: its first builder failed)\n",
    ]);
  });
});
