import { describe, expect, it } from "vitest";
import { formatError, MAX_ERROR_LINES, printError } from "../../src/cli/print-error.js";
import { DockbuildError, InputError } from "../../src/errors.js";

const problems = (n: number, hint = true) =>
  Array.from({ length: n }, (_, i) => ({
    location: { file: "compose.yaml", line: i + 1 },
    message: `problem ${i + 1}`,
    hint: hint ? `fix ${i + 1}` : undefined,
  }));

describe("printError: the warnings found before the error come first", () => {
  it("an unset variable that made a value invalid is warned about, then the error, as Compose prints it", () => {
    let out = "";
    const error = new InputError(
      [{ location: { file: "compose.yaml", line: 4 }, message: "bad (NAME is not set)", hint: "set NAME" }],
      undefined,
      ['compose.yaml:4: The "NAME" variable is not set. Defaulting to a blank string.'],
    );
    expect(printError(error, (text) => (out += text))).toBe(2);
    expect(out.split("\n")).toEqual([
      'warning: compose.yaml:4: The "NAME" variable is not set. Defaulting to a blank string.',
      "dockbuild: compose.yaml:4: bad (NAME is not set)",
      "  hint: set NAME",
      "",
    ]);
  });
});

describe("formatError: at most 15 lines, the first problems, then how many more", () => {
  it("66 problems with hints: as many as fit, then the count of the rest", () => {
    const lines = formatError(new InputError(problems(66)));
    expect(lines).toHaveLength(MAX_ERROR_LINES);
    expect(lines[0]).toBe("dockbuild: 66 problems found:");
    expect(lines.slice(1, 3)).toEqual(["  compose.yaml:1: problem 1", "    hint: fix 1"]);
    expect(lines.at(-1)).toBe("  … and 59 more problems");
  });

  it("problems without hints: thirteen, then the rest counted", () => {
    const lines = formatError(new InputError(problems(20, false)));
    expect(lines).toHaveLength(MAX_ERROR_LINES);
    expect(lines.at(-2)).toBe("  compose.yaml:13: problem 13");
    expect(lines.at(-1)).toBe("  … and 7 more problems");
  });

  it("a few problems are printed whole", () => {
    expect(formatError(new InputError(problems(2)))).toEqual([
      "dockbuild: 2 problems found:",
      "  compose.yaml:1: problem 1",
      "    hint: fix 1",
      "  compose.yaml:2: problem 2",
      "    hint: fix 2",
    ]);
  });

  it("only a build command says that nothing was built", () => {
    expect(formatError(new InputError(problems(2)), { builds: true })[0]).toBe(
      "dockbuild: 2 problems found, nothing was built:",
    );
  });

  it("a single message of many lines keeps its first ones; a huge line is cut", () => {
    const long = new DockbuildError(
      "BAD_INPUT",
      Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n"),
      {
        hint: "x".repeat(10_000),
      },
    );
    const lines = formatError(long);
    expect(lines).toHaveLength(MAX_ERROR_LINES);
    expect(lines.at(-1)).toBe("  … (27 more lines)");
    const huge = formatError(new InputError([{ message: `image "${"a".repeat(5_000_000)}" is invalid` }]));
    expect(huge).toHaveLength(1);
    expect(huge[0]?.length).toBeLessThan(500);
    expect(huge[0]).toMatch(/… \(4999\d+ more characters\)$/);
  });

  it("printError returns the exit code and prints no stack for a known error", () => {
    let out = "";
    expect(printError(new InputError(problems(1)), (t) => (out += t))).toBe(2);
    expect(out).toBe("dockbuild: compose.yaml:1: problem 1\n  hint: fix 1\n");
  });
});
