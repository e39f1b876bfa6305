import { describe, expect, it } from "vitest";
import type { JobOutcome, JobResult } from "../../src/run/types.js";
import { withLocalPulls } from "../../src/session/fleet.js";
import { makeJob } from "../helpers/build-job.js";

const built = (key: string): JobResult => ({
  job: makeJob(key),
  status: "built",
  durationMs: 10,
  steps: 3,
  cachedSteps: 0,
  builder: "b2",
});

describe("withLocalPulls", () => {
  it("waits for every pull; a job whose image could not be brought home failed after all", async () => {
    const pulls = new Map<string, Promise<Partial<JobOutcome> | undefined>>([
      ["api", Promise.resolve(undefined)],
      [
        "web",
        Promise.resolve({
          status: "failed" as const,
          command: "docker pull r/web:ih-1@sha256:0",
          errorLines: ["connection refused"],
        }),
      ],
    ]);
    const results = await withLocalPulls([built("api"), built("web"), built("cli")], pulls);
    expect(results.map((r) => [r.job.key, r.status])).toEqual([
      ["api", "built"],
      ["web", "failed"],
      ["cli", "built"],
    ]);
    expect(results[1]).toMatchObject({
      builder: "b2",
      command: "docker pull r/web:ih-1@sha256:0",
      errorLines: ["connection refused"],
    });
  });
});
