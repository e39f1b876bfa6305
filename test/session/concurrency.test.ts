import { describe, expect, it } from "vitest";
import { defaultConcurrency } from "../../src/session/concurrency.js";

describe("defaultConcurrency", () => {
  it.each([
    [1, 16],
    [2, 16],
    [4, 16],
    [6, 24],
    [8, 32],
    [64, 32],
  ])("%i cores: %i builds at once", (cores, builds) => {
    expect(defaultConcurrency(cores)).toBe(builds);
  });
});
