import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseEnvFile } from "../../src/compose/env-file.js";
import { fixture } from "./helpers.js";

const none = (): undefined => undefined;

function values(source: string, lookup: (name: string) => string | undefined = none): Record<string, string> {
  const parsed = parseEnvFile(source, "/p/.env", lookup);
  expect(parsed.problems).toEqual([]);
  return Object.fromEntries(parsed.values);
}

describe("parseEnvFile", () => {
  test.each([
    ["KEY=value", { KEY: "value" }],
    ["export KEY=value", { KEY: "value" }],
    ["KEY = spaced  ", { KEY: "spaced" }],
    ["KEY=", { KEY: "" }],
    ["KEY: yaml-style", { KEY: "yaml-style" }],
    ["dotted.key_1=x", { "dotted.key_1": "x" }],
    ["# comment\n\n  \nA=1\n# another", { A: "1" }],
    ["A=abc # comment", { A: "abc" }],
    ["A=abc#not-a-comment", { A: "abc#not-a-comment" }],
    ["A='single $NOPE \\n kept'", { A: "single $NOPE \\n kept" }],
    ['A="tab\\tnew\\nline \\"q\\" back\\\\slash"', { A: 'tab\tnew\nline "q" back\\slash' }],
    ['A="multi\nline"', { A: "multi\nline" }],
    ['A="x" # comment after quotes', { A: "x" }],
    ["A=1\nB=${A}-2\nC=$B-3", { A: "1", B: "1-2", C: "1-2-3" }],
    ['A=1\nB="${A:-x} \\$A"', { A: "1", B: "1 $A" }],
    ["A=$$literal", { A: "$literal" }],
    ["A=1\r\nB=2\r\n", { A: "1", B: "2" }],
  ])("%j", (source, expected) => {
    expect(values(source)).toEqual(expected);
  });

  test("the lookup (process env) wins over the file's own earlier values in references", () => {
    expect(values("A=file\nB=${A}", (name) => (name === "A" ? "process" : undefined))).toEqual({
      A: "file",
      B: "process",
    });
  });

  test("a bare KEY is taken from the lookup when set there, and left out otherwise", () => {
    expect(values("FROM_ENV\nNOT_SET\nA=1", (name) => (name === "FROM_ENV" ? "env" : undefined))).toEqual({
      FROM_ENV: "env",
      A: "1",
    });
  });

  test("unset variables in values are reported", () => {
    expect(parseEnvFile("A=${NOPE}\nB=${ALSO:-x}", "/p/.env", none).unset).toEqual(["NOPE"]);
  });

  test.each([
    ["A=1\nBAD-KEY=2", 2, 'unexpected character "-" in variable name "BAD-KEY"'],
    ["A=1\n\nMY KEY=2", 3, 'key cannot contain a space: "MY KEY"'],
    ['A="open\nB=2', 1, "unterminated quoted value for A"],
    ["A=1\n=2", 2, "missing variable name"],
    ["A=${B:?B is required}", 1, "required variable B is missing a value: B is required"],
  ])("problem in %j", (source, line, message) => {
    const parsed = parseEnvFile(source, "/p/.env", none);
    expect(parsed.problems).toEqual([
      { location: { file: "/p/.env", line }, message, hint: expect.any(String) },
    ]);
  });

  test("every problem of a file is reported, and the good lines are still read", () => {
    const parsed = parseEnvFile("BAD-1=x\nGOOD=1\nBAD-2=y\n", "/p/.env", none);
    expect(parsed.problems.map((problem) => problem.location?.line)).toEqual([1, 3]);
    expect(Object.fromEntries(parsed.values)).toEqual({ GOOD: "1" });
  });

  test("the interpolation fixture's .env", () => {
    const file = fixture("interpolation", ".env");
    expect(values(readFileSync(file, "utf8"))).toEqual({
      TAG: "1.2",
      SET: "value",
      EMPTY: "",
      REGISTRY: "registry.local:5000",
      DOTENV_ONLY: 'line1\nline2 "quoted" $SET',
      BOTH: "from-dotenv",
      DERIVED: "value-derived",
      SINGLE: "no $SET here",
      INLINE: "abc",
      HASH: "abc#def",
      lower_case: "spaced",
    });
  });
});
