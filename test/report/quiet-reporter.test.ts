import { describe, expect, it } from "vitest";
import { createQuietReporter } from "../../src/report/quiet-reporter.js";
import { replayRun } from "./replay.js";

describe("createQuietReporter", () => {
  it("prints nothing of a run but its warnings", async () => {
    let out = "";
    await replayRun(createQuietReporter({ write: (text) => (out += text) }));
    expect(out).toBe("warning: service e2e: build.ssh is ignored by the docker backend\n");
  });
});
