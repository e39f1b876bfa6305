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
