import { describe, expect, it } from "vitest";
import { runFailure } from "../../src/session/run-failure.js";
import { makeJob } from "../helpers/build-job.js";

describe("runFailure over builders", () => {
  it("a job no builder was left for ends the run with exit 3, naming every builder and why", () => {
    const failure = runFailure({
      interrupted: false,
      results: [
        { job: makeJob("base"), status: "built", durationMs: 1, steps: 1, cachedSteps: 0, builder: "b1" },
        {
          job: makeJob("gpu"),
          status: "failed",
          durationMs: 0,
          steps: 0,
          cachedSteps: 0,
          noBuilder: ["b1: lacks the label gpu", "b2: down (Cannot connect to the Docker daemon)"],
        },
        { job: makeJob("bad"), status: "failed", durationMs: 1, steps: 1, cachedSteps: 0, builder: "b1" },
      ],
    });
    expect(failure).toMatchObject({
      code: "NO_ENGINE",
      exitCode: 3,
      message: "no fitting builder was left for gpu",
      hint: "gpu: b1: lacks the label gpu; b2: down (Cannot connect to the Docker daemon)",
    });
  });
  it("a build that failed is exit 1, as on one engine", () => {
    const failure = runFailure({
      interrupted: false,
      results: [
        { job: makeJob("bad"), status: "failed", durationMs: 1, steps: 1, cachedSteps: 0, builder: "b1" },
      ],
    });
    expect(failure).toMatchObject({ code: "BUILD_FAILED", exitCode: 1 });
  });
});
