import { describe, expect, it } from "vitest";
import { analysisAsFile, analyzeDockerfile, type BuildArgs } from "../../src/dockerfile/index.js";
import { readFixture } from "./read-fixture.js";

const TEXTS: { name: string; text: string; args?: BuildArgs }[] = [
  { name: "stages, COPY --from and FROM another stage", text: readFixture("multi-stage.Dockerfile") },
  { name: "cache and bind mounts", text: readFixture("run-mounts.Dockerfile") },
  { name: "COPY --from images and stages", text: readFixture("copy-from.Dockerfile") },
  { name: "heredocs", text: readFixture("heredocs.Dockerfile") },
  {
    name: "an ARG the environment lacks (a warning)",
    text: readFixture("arg-no-default.Dockerfile"),
    args: { BASE_IMAGE: undefined },
  },
  { name: "an unknown instruction (an error)", text: "FROM scratch\nFORM scratch\n" },
  {
    name: "a line BuildKit refuses (an error with no stages)",
    text: `FROM scratch\nRUN ${"x".repeat(70_000)}\n`,
  },
];

describe("analysisAsFile", () => {
  it.each(TEXTS)(
    "reads the analysis of $name as another file, as analyzing that file gives",
    ({ text, args }) => {
      const first = analyzeDockerfile(text, "/p/a/Dockerfile", args);
      const other = analysisAsFile(first, "/p/b/Dockerfile");
      expect(other).toStrictEqual(analyzeDockerfile(text, "/p/b/Dockerfile", args));
      expect(JSON.stringify(other), "in the same key order").toBe(
        JSON.stringify(analyzeDockerfile(text, "/p/b/Dockerfile", args)),
      );
      expect(first.file, "the first is left as it was").toBe("/p/a/Dockerfile");
    },
  );

  it("shares what names no file instead of copying it", () => {
    const first = analyzeDockerfile(readFixture("multi-stage.Dockerfile"), "/p/a/Dockerfile");
    const other = analysisAsFile(first, "/p/b/Dockerfile");
    expect(other.globalArgs).toBe(first.globalArgs);
    other.stages.forEach((stage, i) => expect(stage.base).toBe(first.stages[i]?.base));
    const empty = first.stages.findIndex((stage) => stage.sources.length === 0);
    expect(empty, "the fixture has a stage that copies from nothing").toBeGreaterThanOrEqual(0);
    expect(other.stages[empty]?.sources, "an empty list").toBe(first.stages[empty]?.sources);
    expect(other.warnings).toBe(first.warnings);
    expect(analysisAsFile(first, "/p/a/Dockerfile"), "the same file: the same analysis").toBe(first);
  });
});
