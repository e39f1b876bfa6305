import { describe, expect, test } from "vitest";
import { substitute } from "../../src/compose/template.js";

const env: Record<string, string> = { SET: "value", EMPTY: "", lower: "low", A_1: "a1" };
const lookup = (name: string): string | undefined => env[name];

describe("substitute", () => {
  test.each([
    ["no variables", "plain text", "plain text"],
    ["$VAR", "x-$SET-y", "x-value-y"],
    ["$VAR stops at the first non-name character", "$SET.txt", "value.txt"],
    ["${VAR}", "${SET}", "value"],
    ["lowercase and digits in names", "$lower ${A_1}", "low a1"],
    [":- uses the default when unset", "${UNSET:-d}", "d"],
    [":- uses the default when empty", "${EMPTY:-d}", "d"],
    [":- keeps a set value", "${SET:-d}", "value"],
    ["- uses the default only when unset", "${UNSET-d}", "d"],
    ["- keeps an empty value", "${EMPTY-d}", ""],
    [":+ replaces a set, non-empty value", "${SET:+alt}", "alt"],
    [":+ gives nothing for an empty value", "${EMPTY:+alt}", ""],
    ["+ replaces a set value even when empty", "${EMPTY+alt}", "alt"],
    ["+ gives nothing when unset", "${UNSET+alt}", ""],
    [":? passes a set value through", "${SET:?must be set}", "value"],
    ["? accepts an empty value", "${EMPTY?must exist}", ""],
    ["a nested default", "${UNSET:-${SET}}", "value"],
    ["a nested default with text around it", "${UNSET:-pre-${SET}-post}", "pre-value-post"],
    ["nested defaults two levels deep", "${UNSET:-${ALSO_UNSET:-deep}}", "deep"],
    ["text after a nested default", "${UNSET:-${SET}}/tail", "value/tail"],
    ["$$ is a literal $", "$$SET and $${SET}", "$SET and ${SET}"],
    ["a default containing a colon", "${UNSET:-host:5000}", "host:5000"],
    ["an empty default", "${UNSET:-}", ""],
  ])("%s", (_name, template, expected) => {
    const result = substitute(template, lookup);
    expect(result.error).toBeUndefined();
    expect(result.value).toBe(expected);
  });

  test("an unset variable without a default becomes empty and is reported", () => {
    expect(substitute("a-${MISSING}-$OTHER", lookup)).toEqual({ value: "a--", unset: ["MISSING", "OTHER"] });
  });

  test("an unused default does not look its variables up", () => {
    expect(substitute("${SET:-${MISSING}}", lookup)).toEqual({ value: "value", unset: [] });
  });

  test.each([
    ["${MISSING:?must be set}", "required variable MISSING is missing a value: must be set", "MISSING"],
    ["${EMPTY:?cannot be empty}", "required variable EMPTY is missing a value: cannot be empty", "EMPTY"],
    ["${MISSING?}", "required variable MISSING is missing a value", "MISSING"],
    ["${MISSING:?needs ${SET}}", "required variable MISSING is missing a value: needs value", "MISSING"],
  ])("required: %s", (template, error, missing) => {
    expect(substitute(template, lookup)).toMatchObject({ error, missing });
  });

  test.each(["${}", "${SET", "${SET!}", "${1A}", "echo $1", "cost: $ 5", "trailing $"])(
    "invalid template %j",
    (template) => {
      const result = substitute(template, lookup);
      expect(result.error).toBe(`invalid interpolation format ${JSON.stringify(template)}`);
      expect(result.missing).toBeUndefined();
    },
  );
});
