import { describe, expect, test } from "vitest";
import { analyzeDockerfile, externalReferences, stagesForTarget } from "../../src/dockerfile/index.js";
import { readFixture } from "./read-fixture.js";

function references(fixture: string, target?: string, buildArgs: Record<string, string> = {}) {
  const analysis = analyzeDockerfile(readFixture(fixture), fixture, buildArgs, { build: "linux/amd64" });
  return externalReferences(stagesForTarget(analysis, target)).map((r) => [r.via, r.ref, r.location.line]);
}

describe("externalReferences", () => {
  test.each([
    ["multi-stage.Dockerfile", "production", {}, [["FROM", "acme/node:20", 4]]],
    ["multi-stage.Dockerfile", "production", { NODE_IMAGE: "acme/base" }, [["FROM", "acme/base", 4]]],
    [
      "six-targets.Dockerfile",
      "dev",
      {},
      [
        ["FROM", "acme/base", 1],
        ["FROM", "acme/tools:2", 10],
      ],
    ],
    ["six-targets.Dockerfile", "release", {}, [["FROM", "acme/base", 1]]],
    [
      "image-like-stages.Dockerfile",
      undefined,
      {},
      [
        ["FROM", "acme/base", 7],
        ["COPY", "alpine:3.19", 8],
        ["COPY", "node:20", 11],
      ],
    ],
    ["image-like-stages.Dockerfile", "build", {}, [["FROM", "node:20", 1]]],
    [
      "run-mounts.Dockerfile",
      "app",
      {},
      [
        ["FROM", "acme/base", 1],
        ["FROM", "debian:12", 4],
        ["RUN", "acme/fixtures:1", 12],
      ],
    ],
    ["copy-from.Dockerfile", "later", {}, [["FROM", "acme/base", 15]]],
    [
      "heredocs.Dockerfile",
      "final",
      {},
      [
        ["FROM", "acme/base", 1],
        ["COPY", "acme/assets", 14],
      ],
    ],
    ["arg-forms.Dockerfile", "full", { BASE: "acme/other" }, [["FROM", "acme/other:1.2", 10]]],
  ])("%s, target %s, args %j", (fixture, target, buildArgs, expected) => {
    expect(references(fixture, target, buildArgs)).toEqual(expected);
  });

  test("each reference once per instruction kind, at its first use; stages, scratch and unresolved left out", () => {
    const analysis = analyzeDockerfile(readFixture("copy-from.Dockerfile"), "copy-from.Dockerfile", {});
    expect(externalReferences(analysis.stages)).toEqual([
      { ref: "acme/base", location: { file: "copy-from.Dockerfile", line: 1 }, via: "FROM" },
      { ref: "acme/assets:3", location: { file: "copy-from.Dockerfile", line: 8 }, via: "COPY" },
      { ref: "Builder", location: { file: "copy-from.Dockerfile", line: 16 }, via: "FROM" },
    ]);
    const unresolved = analyzeDockerfile(readFixture("arg-no-default.Dockerfile"), "Dockerfile", {});
    expect(externalReferences(unresolved.stages)).toEqual([]);
  });
});
