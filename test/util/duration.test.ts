import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/util/duration.js";

describe("parseDuration", () => {
  it.each([
    ["90", 90_000],
    ["0", 0],
    ["2.5", 2_500],
    ["90s", 90_000],
    ["10m", 600_000],
    ["1.5m", 90_000],
    ["2h", 7_200_000],
    ["1h30m", 5_400_000],
    ["1m30s", 90_000],
    ["500ms", 500],
    [" 45s ", 45_000],
  ])("%j → %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "s", "ten minutes", "-5s", "5 m", "5d", "1e3", "m5", "5s.", "1h 30m"])(
    "%j is not a duration",
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});
