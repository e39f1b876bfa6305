import { describe, expect, test } from "vitest";
import {
  expandWord,
  expansionBudget,
  ExpansionLimitError,
  MAX_EXPANDED_CHARS,
  MAX_EXPANSION_DEPTH,
} from "../../src/dockerfile/expand-word.js";

const vars = new Map([
  ["BASE", "acme/base"],
  ["TAG", "1.2"],
  ["EMPTY", ""],
]);

describe("expandWord", () => {
  test.each([
    ["$BASE", "acme/base", []],
    ["${BASE}:${TAG}", "acme/base:1.2", []],
    ["$BASE:$TAG-slim", "acme/base:1.2-slim", []],
    ["${MISSING}", "", ["MISSING"]],
    ["${MISSING:-node:20}", "node:20", []],
    ["${EMPTY:-fallback}", "fallback", []],
    ["${EMPTY-fallback}", "", []],
    ["${MISSING-fallback}", "fallback", []],
    ["${TAG:+-slim}", "-slim", []],
    ["${MISSING:+-slim}", "", []],
    ["${EMPTY:+x}", "", []],
    ["${EMPTY+x}", "x", []],
    ["${MISSING:-${BASE}}", "acme/base", []],
    ["${MISSING:-${ALSO_MISSING}}", "", ["ALSO_MISSING"]],
    ["${BASE:-${ALSO_MISSING}}", "acme/base", []],
    ["${MISSING:?must be set}", "", ["MISSING"]],
    ['"$BASE"', "acme/base", []],
    ["'$BASE'", "$BASE", []],
    ["\\$BASE", "$BASE", []],
    ["cost$", "cost$", []],
    ["$1x", "x", ["1"]],
  ])("%s → %s", (word, value, missing) => {
    expect(expandWord(word, vars)).toMatchObject({ value, missing });
  });

  test("with a backtick escape character, a backslash is an ordinary character", () => {
    expect(expandWord("C:\\cache\\$TAG", vars, "`")).toEqual({
      value: "C:\\cache\\1.2",
      missing: [],
      used: ["TAG"],
    });
    expect(expandWord("`$TAG", vars, "`")).toEqual({ value: "$TAG", missing: [], used: [] });
  });

  test("lists every variable used once, in order, and each missing one once", () => {
    expect(expandWord("$A/$BASE/${A}/${B:-x}", vars)).toEqual({
      value: "/acme/base//x",
      missing: ["A"],
      used: ["A", "BASE", "B"],
    });
  });
});

describe("expandWord limits", () => {
  test("defaults nested past MAX_EXPANSION_DEPTH stop with ExpansionLimitError, not a stack overflow", () => {
    const deep = "${X:-".repeat(5000) + "alpine" + "}".repeat(5000);
    expect(() => expandWord(deep, new Map())).toThrow(ExpansionLimitError);
    expect(() => expandWord(deep, new Map())).toThrow(/nested more than 64 deep/);
  });

  test("nesting up to the limit still expands", () => {
    const depth = MAX_EXPANSION_DEPTH;
    const word = "${X:-".repeat(depth) + "alpine" + "}".repeat(depth);
    expect(expandWord(word, new Map()).value).toBe("alpine");
  });

  test("one budget is shared by every word: doubling values run out of it with a clear message", () => {
    const budget = expansionBudget();
    const values = new Map([["A0", "x".repeat(1000)]]);
    let error: unknown;
    let i = 1;
    try {
      for (; i < 40; i++)
        values.set(`A${i}`, expandWord(`\${A${i - 1}}\${A${i - 1}}`, values, "\\", budget).value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpansionLimitError);
    expect((error as Error).message).toMatch(/more than 4,194,304 characters/);
    // 1000 · 2^12 = 4 MB: the twelfth doubling is the one that overdraws
    expect(i).toBe(12);
    expect(budget.remaining).toBeGreaterThanOrEqual(0);
  });

  test("a word that repeats one large value is stopped before it is built in full", () => {
    const values = new Map([["BIG", "y".repeat(MAX_EXPANDED_CHARS / 2)]]);
    expect(() => expandWord("$BIG$BIG$BIG$BIG", values)).toThrow(ExpansionLimitError);
  });
});
