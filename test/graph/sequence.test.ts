import { describe, expect, it } from "vitest";
import { closure, dependents, remainingPathLength, sequenceGraph } from "../../src/graph/sequence.js";

const graph = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

describe("sequenceGraph", () => {
  it.each<{ name: string; input: Record<string, string[]>; chunks: string[][]; cycles: string[][] }>([
    { name: "empty", input: {}, chunks: [], cycles: [] },
    { name: "independent", input: { a: [], b: [] }, chunks: [["a", "b"]], cycles: [] },
    {
      name: "chain and fan-in",
      input: { api: ["base"], worker: ["base"], base: [], web: ["api", "assets"], assets: [] },
      chunks: [["base", "assets"], ["api", "worker"], ["web"]],
      cycles: [],
    },
    { name: "unknown dependencies are ignored", input: { a: ["nope"] }, chunks: [["a"]], cycles: [] },
    {
      name: "cycle is data, its nodes and their dependents are left out",
      input: { a: ["b"], b: ["a"], c: [], d: ["a"] },
      chunks: [["c"]],
      cycles: [["a", "b", "a"]],
    },
    { name: "self cycle", input: { a: ["a"] }, chunks: [], cycles: [["a", "a"]] },
  ])("$name", ({ input, chunks, cycles }) => {
    const result = sequenceGraph(graph(input));
    expect(result.chunks).toEqual(chunks);
    expect(result.cycles).toEqual(cycles);
    expect(result.safe).toBe(cycles.length === 0);
  });
});

describe("closure, dependents, remainingPathLength", () => {
  const g = graph({ base: [], jre: ["base"], app: ["jre"], tool: ["base"], other: [] });
  it("closure follows dependencies and keeps graph order", () => {
    expect([...closure(g, ["app"])]).toEqual(["base", "jre", "app"]);
    expect([...closure(g, ["other", "tool"])]).toEqual(["base", "tool", "other"]);
  });
  it("dependents reverses edges", () => {
    expect(Object.fromEntries(dependents(g))).toEqual({
      base: ["jre", "tool"],
      jre: ["app"],
      app: [],
      tool: [],
      other: [],
    });
  });
  it("remaining path length puts long chains first", () => {
    expect(Object.fromEntries(remainingPathLength(g))).toEqual({
      base: 3,
      jre: 2,
      app: 1,
      tool: 1,
      other: 1,
    });
  });
});

describe("deep graphs", () => {
  // node i needs node i + 1: the first node visited reaches all the others through one long path
  const chain = (n: number) => new Map(Array.from({ length: n }, (_, i) => [i, i === n - 1 ? [] : [i + 1]]));

  it("a chain of 50,000 nodes is ordered without recursion", () => {
    const result = sequenceGraph(chain(50_000));
    expect(result.chunks).toHaveLength(50_000);
    expect(result.chunks[0]).toEqual([49_999]);
    expect(result.chunks[49_999]).toEqual([0]);
  });

  it("a cycle at the end of a long chain is found with its path", () => {
    const graph = chain(20_000);
    graph.set(19_999, [0]);
    const result = sequenceGraph(graph);
    expect(result.cycles).toHaveLength(1);
    expect(result.cycles[0]).toHaveLength(20_001);
    expect(result.chunks).toEqual([]);
  });

  it("remaining path length on a long chain, whichever end comes first", () => {
    const lengths = remainingPathLength(chain(50_000));
    expect(lengths.get(49_999)).toBe(50_000);
    expect(lengths.get(0)).toBe(1);
    const forward = new Map(Array.from({ length: 50_000 }, (_, i) => [i, i === 0 ? [] : [i - 1]]));
    expect(remainingPathLength(forward).get(0)).toBe(50_000);
  });
});
