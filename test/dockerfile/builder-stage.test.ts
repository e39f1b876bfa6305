import { describe, expect, it } from "vitest";
import { analyzeDockerfile, builderStageOf, stagesForTarget } from "../../src/dockerfile/index.js";

const stagesOf = (text: string, target?: string) =>
  stagesForTarget(analyzeDockerfile(text, "/x/Dockerfile", {}), target);

describe("builderStageOf", () => {
  it.each([
    {
      name: "the stage the target copies from",
      text: "FROM b AS deps\nFROM deps AS compile\nRUN make\nFROM scratch AS production\nCOPY --from=compile /out /out\n",
      expected: "compile",
    },
    {
      name: "a stage named like a builder when nothing is copied",
      text: "FROM b AS builder\nRUN make\nFROM builder AS production\nRUN rm -rf /src\n",
      expected: "builder",
    },
    { name: "none for a single stage", text: "FROM b\nRUN true\n", expected: undefined },
  ])("$name", ({ text, expected }) => {
    expect(builderStageOf(stagesOf(text))).toBe(expected);
  });
});
