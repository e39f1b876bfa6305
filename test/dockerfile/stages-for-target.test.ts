import { describe, expect, test } from "vitest";
import { InputError } from "../../src/errors.js";
import { analyzeDockerfile, stagesForTarget } from "../../src/dockerfile/index.js";
import { readFixture } from "./read-fixture.js";

function names(fixture: string, target: string | undefined): string[] {
  const analysis = analyzeDockerfile(readFixture(fixture), fixture, {}, { build: "linux/amd64" });
  return stagesForTarget(analysis, target).map((s) => s.name);
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("stagesForTarget", () => {
  test.each([
    ["multi-stage.Dockerfile", "production", ["deps", "builder", "production"]],
    ["multi-stage.Dockerfile", "test", ["deps", "builder", "test"]],
    ["multi-stage.Dockerfile", "deps", ["deps"]],
    ["multi-stage.Dockerfile", undefined, ["deps", "builder", "production"]],
    ["six-targets.Dockerfile", "base", ["base"]],
    ["six-targets.Dockerfile", "lint", ["base", "lint"]],
    ["six-targets.Dockerfile", "unit", ["base", "unit"]],
    ["six-targets.Dockerfile", "tools", ["tools"]],
    ["six-targets.Dockerfile", "dev", ["base", "tools", "dev"]],
    ["six-targets.Dockerfile", "release", ["base", "lint", "unit", "release"]],
    ["six-targets.Dockerfile", "RELEASE", ["base", "lint", "unit", "release"]],
    ["six-targets.Dockerfile", undefined, ["base", "lint", "unit", "release"]],
    ["copy-from.Dockerfile", "builder", ["builder"]],
    ["run-mounts.Dockerfile", "app", ["tools", "app"]],
    ["image-like-stages.Dockerfile", undefined, ["alpine", "3"]],
    ["image-like-stages.Dockerfile", "build", ["node", "build"]],
    ["escape-backtick.Dockerfile", undefined, ["build", "1"]],
    ["heredocs.Dockerfile", "final", ["build", "final"]],
  ])("%s, target %s → %j", (fixture, target, expected) => {
    expect(names(fixture, target)).toEqual(expected);
  });

  test("an unknown target is bad input at the Dockerfile, with the stages it has as the hint", () => {
    const analysis = analyzeDockerfile(readFixture("multi-stage.Dockerfile"), "api/Dockerfile", {});
    const error = thrown(() => stagesForTarget(analysis, "prod"));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({
      message: 'api/Dockerfile:1: target stage "prod" not found',
      hint: "stages in this Dockerfile: deps, builder, test, production",
      exitCode: 2,
      problems: [
        {
          message: 'target stage "prod" not found',
          location: { file: "api/Dockerfile", line: 1 },
          hint: "stages in this Dockerfile: deps, builder, test, production",
        },
      ],
    });
  });

  test("an unnamed stage cannot be a target, even by its index", () => {
    const analysis = analyzeDockerfile("FROM a\nFROM b AS named\n", "Dockerfile", {});
    expect(thrown(() => stagesForTarget(analysis, "0"))).toMatchObject({
      message: 'Dockerfile:1: target stage "0" not found',
      hint: "stages in this Dockerfile: named",
    });
  });

  test("a Dockerfile without FROM has nothing to build", () => {
    const analysis = analyzeDockerfile("ARG X=1\n", "Dockerfile", {});
    expect(thrown(() => stagesForTarget(analysis))).toMatchObject({
      message: "Dockerfile:1: the Dockerfile has no FROM, so no stage to build",
    });
  });
});

describe("stagesForTarget: a source stage defined after the stage that reads it", () => {
  const problemsOf = (text: string, target?: string) => {
    const analysis = analyzeDockerfile(text, "Dockerfile", {});
    const error = thrown(() => stagesForTarget(analysis, target));
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  };

  test("COPY --from=<a later stage> is refused at its line, in BuildKit's words (it fails the build there)", () => {
    expect(problemsOf("FROM alpine AS x\nCOPY --from=base /a /a\nFROM alpine AS base\n", "x")).toEqual([
      {
        location: { file: "Dockerfile", line: 2 },
        message:
          'COPY --from=base: stage "base" is defined after stage "x"; BuildKit refuses it: cannot copy from stage "base", it needs to be defined before current stage "x"',
        hint: 'move stage "base" above stage "x" (BuildKit builds stages in the order they are written)',
      },
    ]);
  });

  test("by index, from itself, and RUN --mount=from: every one is listed, in line order", () => {
    const text = [
      "FROM alpine AS a",
      "RUN --mount=from=c,target=/c true",
      "COPY --from=a /x /x",
      "COPY --from=2 /y /y",
      "FROM alpine AS b",
      "FROM alpine AS c",
    ].join("\n");
    expect(problemsOf(text, "a").map((p) => [p.location?.line, p.message.split(";")[0]])).toEqual([
      [2, 'RUN --mount=…,from=c: stage "c" is defined after stage "a"'],
      [3, 'COPY --from=a: stage "a" reads from itself'],
      [4, 'COPY --from=2: stage "c" is defined after stage "a"'],
    ]);
  });

  test("a target that does not need the stage builds as BuildKit builds it: no problem", () => {
    const text = "FROM alpine AS x\nCOPY --from=base /a /a\nFROM alpine AS base\nFROM base AS ok\n";
    expect(stagesForTarget(analyzeDockerfile(text, "Dockerfile", {}), "ok").map((s) => s.name)).toEqual([
      "base",
      "ok",
    ]);
  });
});
