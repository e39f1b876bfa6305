import type { Run } from "dockerfile-ast";
import { describe, expect, it } from "vitest";
import { parseDockerfileAst } from "../../src/dockerfile/parse-ast.js";

const TEXT = [
  "FROM alpine AS deps",
  "RUN --mount=type=cache,target=/c,id=x \\",
  "    make all \\",
  " && echo done",
  'CMD ["sh", "-c", "run"]',
  "",
].join("\n");

describe("parseDockerfileAst", () => {
  it("works each instruction's words out once: later callers get the same words in an array of their own", () => {
    const run = parseDockerfileAst(TEXT).getInstructions()[1] as Run;
    const first = run.getArguments();
    const again = run.getArguments();
    expect(again).not.toBe(first);
    expect(again[0], "the same word, not worked out again").toBe(first[0]);
    first.length = 0;
    expect(run.getArguments().map((a) => a.getValue())).toEqual(["make", "all", "&&", "echo", "done"]);
  });

  // the values dockerfile-ast 0.7.1 gives without words kept
  it("reads instructions as dockerfile-ast does: words, flags, JSON forms, ranges", () => {
    const [from, run, cmd] = parseDockerfileAst(TEXT).getInstructions();
    expect(from?.getArguments().map((a) => a.getValue())).toEqual(["alpine", "AS", "deps"]);
    const flags = (run as Run).getFlags();
    expect(flags.map((f) => [f.getName(), f.getValue()])).toEqual([["mount", "type=cache,target=/c,id=x"]]);
    expect((run as Run).getArguments()[4]?.getRange()).toEqual({
      start: { line: 3, character: 9 },
      end: { line: 3, character: 13 },
    });
    expect((cmd as Run).getJSONStrings().map((s) => s.getValue())).toEqual(['"sh"', '"-c"', '"run"']);
  });
});
