import { describe, expect, test } from "vitest";
import { MAX_EXPANDED_LENGTH, MAX_NESTING, substitute } from "../../src/compose/template.js";

const env: Record<string, string> = {
  SET: "value",
  EMPTY: "",
  lower: "low",
  A_1: "a1",
  JSON: '{"json":2}',
};
const lookup = (name: string): string | undefined => env[name];

describe("substitute: Compose's template grammar (compose-go template/template.go)", () => {
  test.each([
    ["no variables", "plain text", "plain text"],
    ["$NAME", "x-$SET-y", "x-value-y"],
    ["$NAME stops at the first character that cannot be in a name", "$SET.txt", "value.txt"],
    ["$NAME followed by a dash is not a default", "$SET-bar", "value-bar"],
    ["${NAME}", "${SET}", "value"],
    ["names are case-insensitive letters, digits and _", "$lower ${A_1}", "low a1"],
    [":- uses the default when unset", "${UNSET:-d}", "d"],
    [":- uses the default when empty", "${EMPTY:-d}", "d"],
    [":- keeps a set value", "${SET:-d}", "value"],
    ["- uses the default only when unset", "${UNSET-d}", "d"],
    ["- keeps an empty value", "${EMPTY-d}", ""],
    [":+ replaces a set, non-empty value", "${SET:+alt}", "alt"],
    [":+ gives nothing for an empty value", "${EMPTY:+alt}", ""],
    [":+ gives nothing when unset", "${UNSET:+alt}", ""],
    ["+ replaces a set value even when empty", "${EMPTY+alt}", "alt"],
    ["+ gives nothing when unset", "${UNSET+alt}", ""],
    [":? passes a set value through", "${SET:?must be set}", "value"],
    ["? accepts an empty value", "${EMPTY?must exist}", ""],
    ["a nested default", "${UNSET:-${SET}}", "value"],
    ["a nested $NAME default", "${UNSET-$SET}", "value"],
    ["a nested default with text around it", "${UNSET:-pre-${SET}-post}", "pre-value-post"],
    ["nested defaults two levels deep", "${UNSET:-${ALSO_UNSET:-deep}}", "deep"],
    ["a nested :+ inside a + argument", "${EMPTY+$SET ${SET:+second}}", "value second"],
    ["text after a nested default", "${UNSET:-${SET}}/tail", "value/tail"],
    ["two defaults on one line", "${UNSET:-a}.${SET:?}", "a.value"],
    ["a default with braces (JSON)", '${UNSET:-{"json":1}}', '{"json":1}'],
    ["a set value wins over a default with braces", '${JSON:-{"json":1}}', '{"json":2}'],
    ["the first operator after the name is the one used", "${UNSET-a:-b}", "a:-b"],
    ["an operator inside a default is text", "${EMPTY:-/non:-alphanumeric}", "/non:-alphanumeric"],
    ["a default containing a colon", "${UNSET:-host:5000}", "host:5000"],
    ["an empty default", "${UNSET:-}", ""],
    ["$$ is a literal $", "$$SET and $${SET}", "$SET and ${SET}"],
    ["$$ before a default", "$${UNSET:-x}", "${UNSET:-x}"],
    ["$( is kept: command substitution is the shell's", "sh -c 'echo $(seq 10)'", "sh -c 'echo $(seq 10)'"],
    ["$1 is kept", "echo $1", "echo $1"],
    ["$@ is kept", 'exec "$@"', 'exec "$@"'],
    ["$- is kept", "echo $-", "echo $-"],
    ["$? and $# are kept", "$? $#", "$? $#"],
    ["a $ before a space is kept", "cost: $ 5", "cost: $ 5"],
    ["a trailing $ is kept", "trailing $", "trailing $"],
    ["a lone $ is kept", "$", "$"],
    ["$} is kept", "$}", "$}"],
    ["a $ at the end of a regex is kept", "^REGEX$", "^REGEX$"],
    ["a kept $ does not stop the next variable", "$(x) $SET", "$(x) value"],
    ["a $ at the end of a default is kept", "${UNSET:-x$}", "x$"],
    ["a default stops at the end of its line", "${UNSET:-a}\n}", "a\n}"],
  ])("%s", (_name, template, expected) => {
    const result = substitute(template, lookup);
    expect(result.error).toBeUndefined();
    expect(result.value).toBe(expected);
  });

  test("an unset variable without a default becomes empty and is reported", () => {
    expect(substitute("a-${MISSING}-$OTHER", lookup)).toEqual({ value: "a--", unset: ["MISSING", "OTHER"] });
  });

  test("a variable set to the empty string is not reported", () => {
    expect(substitute("a${EMPTY}b$EMPTY", lookup)).toEqual({ value: "ab", unset: [] });
  });

  test.each([
    ["an unused default", "${SET:-${MISSING}}"],
    ["an unused :+ argument", "${UNSET:+${MISSING},}"],
    ["an unused :? message", "${SET?${MISSING}}"],
  ])("%s does not look its variables up (Compose's defaults are lazy)", (_name, template) => {
    expect(substitute(template, lookup).unset).toEqual([]);
  });

  test("a used default reports its unset variables", () => {
    expect(substitute("${UNSET:-${MISSING}}", lookup)).toEqual({ value: "", unset: ["MISSING"] });
  });

  test.each([
    ["${MISSING:?must be set}", "required variable MISSING is missing a value: must be set", "MISSING"],
    ["${EMPTY:?cannot be empty}", "required variable EMPTY is missing a value: cannot be empty", "EMPTY"],
    ["${MISSING:?}", "required variable MISSING is missing a value", "MISSING"],
    ["${MISSING?}", "required variable MISSING is missing a value", "MISSING"],
    ["${MISSING?bar-baz}", "required variable MISSING is missing a value: bar-baz", "MISSING"],
    ["${MISSING:?needs ${SET}}", "required variable MISSING is missing a value: needs value", "MISSING"],
    ["${UNSET:-${MISSING:?inner}}", "required variable MISSING is missing a value: inner", "MISSING"],
  ])("required: %s is an error", (template, error, missing) => {
    expect(substitute(template, lookup)).toMatchObject({ error, missing });
  });

  test.each([
    "${",
    "${}",
    "${ }",
    "${ SET}",
    "${SET }",
    "${SET!}",
    "${1A}",
    "${SET",
    "${UNSET:-x",
    "a ${UNSET:-${B} c",
  ])("%j is an invalid template, as in Compose", (template) => {
    const result = substitute(template, lookup);
    expect(result.error).toBe(`invalid interpolation format ${JSON.stringify(template)}`);
    expect(result.missing).toBeUndefined();
  });

  test(`defaults nested more than ${MAX_NESTING} deep are refused, not recursed into (2,000 levels)`, () => {
    const deep = `${"${X:-".repeat(2000)}x${"}".repeat(2000)}`;
    expect(substitute(deep, lookup).error).toBe(`interpolation nested more than ${MAX_NESTING} levels deep`);
    const ok = `${"${X:-".repeat(MAX_NESTING)}x${"}".repeat(MAX_NESTING)}`;
    expect(substitute(ok, lookup)).toEqual({ value: "x", unset: [] });
  });

  test("a value that expands past the length limit is an error, not an out-of-memory crash", () => {
    const big = "x".repeat(MAX_EXPANDED_LENGTH / 2 + 1);
    expect(substitute("$BIG$BIG", () => big).error).toBe("the value expands to more than 1 MiB");
    expect(substitute("$BIG", () => big).value).toHaveLength(big.length);
  });

  test("many defaults on one long line are expanded in one pass", () => {
    const line = Array.from({ length: 20_000 }, (_, i) => `\${V${i}:-${i % 10}}`).join("");
    const result = substitute(line, lookup);
    expect(result.error).toBeUndefined();
    expect(result.value).toBe(Array.from({ length: 20_000 }, (_, i) => String(i % 10)).join(""));
  });
});
