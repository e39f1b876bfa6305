import { describe, expect, it } from "vitest";
import { jsonChunks, writeChunks } from "../../src/util/json-chunks.js";

const VALUES: [string, unknown][] = [
  [
    "a plan's shape",
    {
      version: 1,
      services: [{ name: "a", tags: ["x"], stages: [], dependsOn: [], sameBuildAs: null }],
      waves: [["a"], ["b", "c"]],
      warnings: [],
    },
  ],
  ["empty object", {}],
  ["empty arrays and objects in members and items", { a: [], b: {}, c: [[], {}, [1]], d: [{}] }],
  [
    "undefined, functions and symbols: left out of objects, null in arrays",
    { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol("s")], d: Symbol("d"), e: 1 },
  ],
  ["only members JSON leaves out", { a: undefined }],
  [
    "strings with line breaks, quotes, unicode",
    { 'key\n"q"': ["line\nbreak", "tab\t", "é ✓ \u2028"], s: "a\nb" },
  ],
  ["deep nesting", { a: [{ b: [{ c: [{ d: 1 }] }] }] }],
  ["a member with toJSON", { when: new Date(0), list: [new Date(1)] }],
  ["numbers and literals", { n: [0, -1.5, 1e21, NaN, Infinity], t: true, f: false, z: null }],
  ["an array at the top", [1, { a: [2] }]],
  ["a string at the top", "text\n"],
  ["null", null],
  ["integer-like keys, in JSON's order", { b: 1, 2: [1], 1: "x", a: [] }],
];

describe("jsonChunks", () => {
  it.each(VALUES)("joins into JSON.stringify(value, null, 2): %s", (_name, value) => {
    expect([...jsonChunks(value)].join("")).toBe(JSON.stringify(value, null, 2));
  });

  it("gives an array member's items one by one", () => {
    const services = Array.from({ length: 1000 }, (_, i) => ({ name: `s${i}` }));
    const chunks = [...jsonChunks({ version: 1, services })];
    expect(chunks.length).toBeGreaterThan(1000);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(40);
  });
});

describe("writeChunks", () => {
  it("writes the pieces in runs of about the size given, nothing lost", () => {
    const runs: string[] = [];
    writeChunks((text) => runs.push(text), ["ab", "cd", "e", "fgh", "i"], 4);
    expect(runs).toEqual(["abcd", "efgh", "i"]);
  });
});
