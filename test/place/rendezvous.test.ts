import { describe, expect, it } from "vitest";
import { rendezvousBuilder, rendezvousScore } from "../../src/place/index.js";
import { hash53 } from "../../src/place/rendezvous.js";
import type { BuilderSlots } from "../../src/place/index.js";

const builder = (name: string, slots = 4): BuilderSlots => ({ name, slots, platforms: [], labels: [] });
const three = [builder("b1"), builder("b2"), builder("b3")];

describe("hash53", () => {
  // cyrb53's published values: a change here moves every context to another builder.
  it.each([
    ["", 3338908027751811],
    ["a", 7929297801672961],
    ["apps/api\0b1", 2892829319322766],
  ])("%j", (text, expected) => {
    expect(hash53(text)).toBe(expected);
  });
});

describe("rendezvousBuilder", () => {
  // Pinned: a change of the hash would move every context away from its warm builder.
  it.each([
    ["apps/api", "b2", "b2"],
    ["apps/web", "b3", "b1"],
    ["apps/worker", "b3", "b2"],
    ["base", "b1", "b1"],
    ["libs/ui", "b2", "b2"],
  ])("%s goes to %s of three, %s of two", (key, ofThree, ofTwo) => {
    expect(rendezvousBuilder(key, three)?.name).toBe(ofThree);
    expect(rendezvousBuilder(key, three.slice(0, 2))?.name).toBe(ofTwo);
  });

  it("losing a builder moves only the contexts it held", () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `apps/svc-${i}`);
    const before = keys.map((k) => rendezvousBuilder(k, three)?.name);
    const after = keys.map((k) => rendezvousBuilder(k, three.slice(0, 2))?.name);
    const moved = keys.filter((_, i) => before[i] !== after[i]);
    expect(moved.length).toBeGreaterThan(500);
    expect(keys.every((_, i) => before[i] === after[i] || before[i] === "b3")).toBe(true);
  });

  it("spreads contexts in proportion to slots", () => {
    const weighted = [builder("small", 2), builder("big", 6)];
    const keys = Array.from({ length: 4000 }, (_, i) => `ctx/${i}`);
    const big = keys.filter((k) => rendezvousBuilder(k, weighted)?.name === "big").length / keys.length;
    expect(big).toBeGreaterThan(0.72);
    expect(big).toBeLessThan(0.78);
  });

  it("has a positive score that grows with the weight, and nobody wins among none", () => {
    expect(rendezvousScore("k", "b", 8)).toBeCloseTo(2 * rendezvousScore("k", "b", 4), 9);
    expect(rendezvousScore("k", "b", 1)).toBeGreaterThan(0);
    expect(rendezvousBuilder("k", [])).toBeUndefined();
  });
});
