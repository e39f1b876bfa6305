import { describe, expect, it } from "vitest";
import { defaultConcurrency } from "../../src/session/concurrency.js";

describe("defaultConcurrency", () => {
  it("sets no limit: every build that is ready starts at once, whatever the cores", () => {
    expect(defaultConcurrency()).toBe(Number.POSITIVE_INFINITY);
  });
});
