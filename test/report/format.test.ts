import { describe, expect, it } from "vitest";
import { byService, describeResult, formatBytes, formatDuration, jobName } from "../../src/report/format.js";
import { jobs, results } from "./helpers.js";

describe("formatDuration", () => {
  it.each([
    [0, "0.0s"],
    [49, "0.0s"],
    [12_345, "12.3s"],
    [59_940, "59.9s"],
    [61_400, "1m 01s"],
    [3_599_000, "59m 59s"],
    [3_780_000, "1h 03m"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [999, "999 B"],
    [1000, "1.0 kB"],
    [12_400_000, "12.4 MB"],
    [1_530_000_000, "1.5 GB"],
  ])("%d → %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe("names and outcomes", () => {
  it("names a merged build after its primary service and lists the others", () => {
    expect(jobName(jobs.api)).toBe("api (+worker)");
    expect(jobName(jobs.base)).toBe("base");
  });

  it("describes each outcome in a few words", () => {
    expect(results.map(describeResult)).toEqual([
      "built in 3.1s, 2/4 cached",
      "built in 12.3s, 5/7 cached",
      "failed after 3.0s",
      "skipped: web failed",
      "up to date",
      "cancelled",
    ]);
  });

  it("spreads results over services, primary first", () => {
    expect(byService(results.slice(0, 2)).map((r) => [r.service, r.sameBuildAs])).toEqual([
      ["base", undefined],
      ["api", undefined],
      ["worker", "api"],
    ]);
  });
});
