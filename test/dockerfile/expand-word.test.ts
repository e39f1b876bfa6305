import { describe, expect, test } from "vitest";
import { expandWord } from "../../src/dockerfile/expand-word.js";

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
