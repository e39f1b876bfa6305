import { describe, expect, it } from "vitest";
import { closestNames, editDistance } from "../../src/util/closest.js";

describe("closestNames", () => {
  it("measures edits", () => {
    expect(editDistance("api", "apu")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("worker", "worker")).toBe(0);
  });
  it("suggests the nearest known names", () => {
    expect(closestNames("wroker", ["api", "worker", "web"])).toEqual(["worker"]);
    expect(closestNames("ap", ["api", "app", "zzz"])).toEqual(["api", "app"]);
    expect(closestNames("database", ["api", "web"])).toEqual([]);
  });
});
