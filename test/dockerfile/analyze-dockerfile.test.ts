import { describe, expect, test } from "vitest";
import { analyzeDockerfile } from "../../src/dockerfile/index.js";
import { hostPlatform } from "../../src/dockerfile/platform-args.js";
import type { DockerfileAnalysis, Stage } from "../../src/dockerfile/types.js";
import { readFixture } from "./read-fixture.js";

const amd64 = { build: "linux/amd64" };

function analyze(name: string, buildArgs: Record<string, string | undefined> = {}, platform = amd64) {
  return analyzeDockerfile(readFixture(name), name, buildArgs, platform);
}

/** What a stage is built on, one line per stage: enough to compare many fixtures in a table. */
function bases(analysis: DockerfileAnalysis) {
  return analysis.stages.map((s) => ({ name: s.name, base: s.base }));
}

function sources(stage: Stage | undefined) {
  return stage?.sources.map((s) => ({
    line: s.location.line,
    instruction: s.instruction,
    raw: s.raw,
    from: s.from,
  }));
}

describe("analyzeDockerfile: a multi-stage Dockerfile", () => {
  const file = "multi-stage.Dockerfile";
  const at = (line: number) => ({ file, line });

  test("gives every stage with its base, sources, cache mounts, steps and FROM line", () => {
    expect(analyze(file)).toEqual({
      file,
      globalArgs: { NODE_IMAGE: "acme/node:20" },
      resolvedArgs: { NODE_IMAGE: "acme/node:20" },
      warnings: [],
      errors: [],
      stages: [
        {
          name: "deps",
          index: 0,
          named: true,
          base: { kind: "image", ref: "acme/node:20" },
          rawFrom: "${NODE_IMAGE}",
          sources: [],
          cacheMounts: [
            { id: "/root/.npm", target: "/root/.npm", sharing: "shared", stage: "deps", location: at(7) },
          ],
          steps: 3,
          progressTotal: 4,
          location: at(4),
        },
        {
          name: "builder",
          index: 1,
          named: true,
          base: { kind: "stage", stage: "deps" },
          rawFrom: "deps",
          sources: [],
          cacheMounts: [],
          steps: 2,
          progressTotal: 2,
          location: at(9),
        },
        {
          name: "test",
          index: 2,
          named: true,
          base: { kind: "stage", stage: "builder" },
          rawFrom: "builder",
          sources: [],
          cacheMounts: [],
          steps: 1,
          progressTotal: 1,
          location: at(14),
        },
        {
          name: "production",
          index: 3,
          named: true,
          base: { kind: "scratch" },
          rawFrom: "scratch",
          sources: [
            {
              from: { kind: "stage", stage: "builder" },
              raw: "builder",
              instruction: "COPY",
              location: at(19),
            },
          ],
          cacheMounts: [],
          steps: 1,
          progressTotal: 1,
          location: at(17),
        },
      ],
    });
  });

  test("a build arg for a declared ARG replaces its default; globalArgs keeps the default as written", () => {
    const analysis = analyze(file, { NODE_IMAGE: "acme/node:22" });
    expect(analysis.stages[0]?.base).toEqual({ kind: "image", ref: "acme/node:22" });
    expect(analysis.globalArgs).toEqual({ NODE_IMAGE: "acme/node:20" });
    expect(analysis.resolvedArgs).toEqual({ NODE_IMAGE: "acme/node:22" });
  });
});

describe("analyzeDockerfile: ARGs in FROM", () => {
  test.each([
    ["with its default", {}, "acme/node:20"],
    ["with a build arg", { BASE_IMAGE: "acme/node:22" }, "acme/node:22"],
    [
      "with a build arg that has no value (compose `args: [BASE_IMAGE]`)",
      { BASE_IMAGE: undefined },
      "acme/node:20",
    ],
  ])("FROM ${BASE_IMAGE} %s", (_, buildArgs, ref) => {
    const analysis = analyze("arg-default.Dockerfile", buildArgs);
    expect(bases(analysis)).toEqual([{ name: "app", base: { kind: "image", ref } }]);
    expect(analysis.warnings).toEqual([]);
  });

  test("an ARG with no value, or none declared, leaves the base unresolved with a warning naming it", () => {
    const file = "arg-no-default.Dockerfile";
    const analysis = analyze(file);
    expect(bases(analysis)).toEqual([
      { name: "app", base: { kind: "unresolved", raw: "${BASE_IMAGE}", missing: ["BASE_IMAGE"] } },
      { name: "other", base: { kind: "unresolved", raw: "$UNDECLARED", missing: ["UNDECLARED"] } },
    ]);
    expect(analysis.warnings).toEqual([
      {
        message:
          'ARG BASE_IMAGE has no value in "FROM ${BASE_IMAGE}": give it a default (ARG BASE_IMAGE=…) or pass it as a build arg',
        location: { file, line: 2 },
        variable: "BASE_IMAGE",
      },
      {
        message:
          '"FROM $UNDECLARED" uses UNDECLARED, which is not declared before the first FROM: add "ARG UNDECLARED" there (a build arg only reaches a declared ARG)',
        location: { file, line: 4 },
        variable: "UNDECLARED",
      },
    ]);
  });

  test("a build arg reaches a declared ARG only (BuildKit ignores one for an undeclared name)", () => {
    const analysis = analyze("arg-no-default.Dockerfile", {
      BASE_IMAGE: "acme/node:22",
      UNDECLARED: "acme/other",
    });
    expect(bases(analysis)).toEqual([
      { name: "app", base: { kind: "image", ref: "acme/node:22" } },
      { name: "other", base: { kind: "unresolved", raw: "$UNDECLARED", missing: ["UNDECLARED"] } },
    ]);
    expect(analysis.warnings.map((w) => w.variable)).toEqual(["UNDECLARED"]);
  });

  test.each([
    [
      "defaults",
      {},
      ["acme/base", "acme/base:1.2", "registry.local/acme/tool", "acme/app", "acme/base:1.2"],
      { REGISTRY: undefined, BASE: "acme/base", TAG: "1.2", FULL: "acme/base:1.2", SLIM: undefined },
    ],
    [
      "build args, a default that uses an overridden ARG re-expanded",
      { REGISTRY: "mirror.local", TAG: "2.0", SLIM: "1" },
      ["acme/base", "acme/base:2.0", "mirror.local/acme/tool", "acme/app-slim", "acme/base:2.0"],
      { REGISTRY: "mirror.local", BASE: "acme/base", TAG: "2.0", FULL: "acme/base:2.0", SLIM: "1" },
    ],
    [
      "an empty build arg, which ${X:-d} treats as unset",
      { REGISTRY: "" },
      ["acme/base", "acme/base:1.2", "registry.local/acme/tool", "acme/app", "acme/base:1.2"],
      { REGISTRY: "", BASE: "acme/base", TAG: "1.2", FULL: "acme/base:1.2", SLIM: undefined },
    ],
  ])(
    "ARG BASE=acme/base then FROM ${BASE}, and the other forms, with %s",
    (_, buildArgs, refs, resolvedArgs) => {
      const analysis = analyze("arg-forms.Dockerfile", buildArgs);
      expect(analysis.stages.map((s) => s.base)).toEqual(refs.map((ref) => ({ kind: "image", ref })));
      expect(analysis.stages.map((s) => s.name)).toEqual(["0", "tagged", "defaulted", "maybe-slim", "full"]);
      expect(analysis.globalArgs).toEqual({
        REGISTRY: undefined,
        BASE: "acme/base",
        TAG: "1.2",
        FULL: "${BASE}:${TAG}",
        SLIM: undefined,
      });
      expect(analysis.resolvedArgs).toEqual(resolvedArgs);
      expect(analysis.warnings).toEqual([]);
    },
  );
});

describe("analyzeDockerfile: automatic platform ARGs", () => {
  test.each([
    ["build and target amd64", amd64, "linux/amd64", "acme/runtime-amd64:linux", "go-amd64"],
    [
      "an arm64 target built on amd64",
      { build: "linux/amd64", target: "linux/arm64" },
      "linux/amd64",
      "acme/runtime-arm64:linux",
      "go-arm64",
    ],
    [
      "an arm64/v8 build platform, normalized",
      { build: "linux/arm64/v8" },
      "linux/arm64",
      "acme/runtime-arm64:linux",
      "go-arm64",
    ],
  ])(
    "TARGETARCH and BUILDPLATFORM in FROM, undeclared, with %s",
    (_, platform, buildPlatform, runtime, cacheId) => {
      const analysis = analyze("platform.Dockerfile", {}, platform);
      expect(analysis.stages.map((s) => [s.name, s.platform, s.base])).toEqual([
        ["build", buildPlatform, { kind: "image", ref: "acme/go:1.22" }],
        ["runtime", undefined, { kind: "image", ref: runtime }],
      ]);
      expect(analysis.stages[0]?.cacheMounts.map((m) => m.id)).toEqual([cacheId]);
      expect(analysis.warnings).toEqual([]);
    },
  );

  test("without a platform, the machine's architecture is the target", () => {
    const analysis = analyzeDockerfile(readFixture("platform.Dockerfile"), "platform.Dockerfile", {});
    const arch = hostPlatform().split("/")[1];
    expect(analysis.stages[1]?.base).toEqual({ kind: "image", ref: `acme/runtime-${arch}:linux` });
  });
});

describe("analyzeDockerfile: COPY --from and RUN --mount", () => {
  test("COPY --from a stage by name in any case, by index, an image, scratch; ADD is not a source", () => {
    const file = "copy-from.Dockerfile";
    const analysis = analyze(file);
    const builder = { kind: "stage", stage: "builder" };
    expect(analysis.stages.map((s) => s.name)).toEqual(["builder", "1", "later", "shouty"]);
    expect(sources(analysis.stages[1])).toEqual([
      { line: 5, instruction: "COPY", raw: "builder", from: builder },
      { line: 6, instruction: "COPY", raw: "BUILDER", from: builder },
      { line: 7, instruction: "COPY", raw: "0", from: builder },
      { line: 8, instruction: "COPY", raw: "acme/assets:3", from: { kind: "image", ref: "acme/assets:3" } },
      { line: 9, instruction: "COPY", raw: "builder", from: builder },
      { line: 10, instruction: "COPY", raw: "scratch", from: { kind: "scratch" } },
      { line: 12, instruction: "COPY", raw: "7", from: { kind: "unresolved", raw: "7", missing: [] } },
      { line: 13, instruction: "COPY", raw: "later", from: { kind: "stage", stage: "later" } },
    ]);
    expect(analysis.stages[1]?.steps).toBe(9);
    expect(analysis.stages[3]?.base).toEqual({ kind: "image", ref: "Builder" });
    expect(analysis.warnings).toEqual([
      {
        message: "COPY --from=7: there is no stage 7 (stages are counted from 0)",
        location: { file, line: 12 },
      },
      {
        message:
          'FROM Builder names stage "builder" in another case; BuildKit matches FROM against stage names exactly and reads this as an image',
        location: { file, line: 16 },
      },
    ]);
  });

  test("RUN --mount: cache mounts with their id (target by default) and sharing; bind and cache mounts from a stage or image", () => {
    const file = "run-mounts.Dockerfile";
    const analysis = analyze(file);
    const app = analysis.stages[1];
    const at = (line: number) => ({ file, line });
    expect(app?.cacheMounts).toEqual([
      { id: "/var/cache/apt", target: "/var/cache/apt", sharing: "shared", stage: "app", location: at(5) },
      { id: "/var/lib/apt", target: "/var/lib/apt", sharing: "locked", stage: "app", location: at(5) },
      { id: "npm", target: "/root/.npm", sharing: "private", stage: "app", location: at(8) },
      { id: "/seed", target: "/seed", sharing: "shared", stage: "app", location: at(13) },
    ]);
    const tools = { kind: "stage", stage: "tools" };
    expect(sources(app)).toEqual([
      { line: 8, instruction: "RUN", raw: "tools", from: tools },
      {
        line: 12,
        instruction: "RUN",
        raw: "acme/fixtures:1",
        from: { kind: "image", ref: "acme/fixtures:1" },
      },
      { line: 13, instruction: "RUN", raw: "tools", from: tools },
      { line: 15, instruction: "RUN", raw: "tools", from: tools },
    ]);
    expect(app?.steps).toBe(6);
    expect(analysis.warnings).toEqual([]);
  });
});

describe("analyzeDockerfile: syntax that must not confuse it", () => {
  test("# escape=` with backtick continuations and Windows paths", () => {
    const file = "escape-backtick.Dockerfile";
    const analysis = analyze(file);
    expect(analysis.stages).toEqual([
      {
        name: "build",
        index: 0,
        named: true,
        base: { kind: "image", ref: "acme/win:ltsc2022" },
        rawFrom: "${BASE}:ltsc2022",
        sources: [],
        cacheMounts: [
          {
            id: "C:\\cache",
            target: "C:\\cache",
            sharing: "shared",
            stage: "build",
            location: { file, line: 6 },
          },
        ],
        steps: 2,
        progressTotal: 3,
        location: { file, line: 3 },
      },
      {
        name: "1",
        index: 1,
        named: false,
        base: { kind: "scratch" },
        rawFrom: "scratch",
        sources: [
          {
            from: { kind: "stage", stage: "build" },
            raw: "build",
            instruction: "COPY",
            location: { file, line: 10 },
          },
        ],
        cacheMounts: [],
        steps: 1,
        progressTotal: 1,
        location: { file, line: 9 },
      },
    ]);
    expect(analysis.warnings).toEqual([]);
  });

  test("heredoc bodies are not instructions: no stage, source or mount comes from them", () => {
    const file = "heredocs.Dockerfile";
    const analysis = analyze(file);
    expect(bases(analysis)).toEqual([
      { name: "build", base: { kind: "image", ref: "acme/base" } },
      { name: "final", base: { kind: "scratch" } },
    ]);
    expect(analysis.stages.map((s) => [s.steps, s.cacheMounts, s.location.line])).toEqual([
      [4, [], 1],
      [1, [], 16],
    ]);
    expect(analysis.stages.map(sources)).toEqual([
      [{ line: 14, instruction: "COPY", raw: "acme/assets", from: { kind: "image", ref: "acme/assets" } }],
      [{ line: 17, instruction: "COPY", raw: "build", from: { kind: "stage", stage: "build" } }],
    ]);
  });

  test("line continuations, a comment inside one, an empty continuation line and a mount split over two lines", () => {
    const file = "continuations.Dockerfile";
    const analysis = analyze(file);
    expect(analysis.stages.map((s) => [s.name, s.base, s.location.line, s.steps])).toEqual([
      ["base", { kind: "image", ref: "acme/base:1" }, 2, 2],
      ["next", { kind: "stage", stage: "base" }, 13, 2],
    ]);
    expect(analysis.stages[0]?.cacheMounts).toEqual([
      {
        id: "/root/.cache",
        target: "/root/.cache",
        sharing: "shared",
        stage: "base",
        location: { file, line: 10 },
      },
    ]);
    expect(sources(analysis.stages[1])).toEqual([
      { line: 14, instruction: "COPY", raw: "base", from: { kind: "stage", stage: "base" } },
      { line: 17, instruction: "RUN", raw: "base", from: { kind: "stage", stage: "base" } },
    ]);
    expect(analysis.warnings).toEqual([]);
  });

  test("stage names that look like images: an earlier stage wins in FROM and in --from; a tag makes it an image", () => {
    const analysis = analyze("image-like-stages.Dockerfile");
    expect(bases(analysis)).toEqual([
      { name: "node", base: { kind: "image", ref: "node:20" } },
      { name: "build", base: { kind: "stage", stage: "node" } },
      { name: "alpine", base: { kind: "image", ref: "acme/base" } },
      { name: "3", base: { kind: "stage", stage: "alpine" } },
    ]);
    expect(analysis.stages.map(sources)).toEqual([
      [],
      [{ line: 5, instruction: "COPY", raw: "node", from: { kind: "stage", stage: "node" } }],
      [{ line: 8, instruction: "COPY", raw: "alpine:3.19", from: { kind: "image", ref: "alpine:3.19" } }],
      [{ line: 11, instruction: "COPY", raw: "node:20", from: { kind: "image", ref: "node:20" } }],
    ]);
  });

  test("a stage FROM itself in the same FROM line is an image, as BuildKit only sees stages above", () => {
    const analysis = analyzeDockerfile("FROM base AS base\nFROM base AS next\n", "Dockerfile", {}, amd64);
    expect(bases(analysis)).toEqual([
      { name: "base", base: { kind: "image", ref: "base" } },
      { name: "next", base: { kind: "stage", stage: "base" } },
    ]);
  });

  test("variables in --from are expanded for the graph, with a warning that BuildKit refuses them", () => {
    const text = "ARG ASSETS=acme/assets\nFROM scratch\nCOPY --from=${ASSETS} /a /a\n";
    const analysis = analyzeDockerfile(text, "Dockerfile", {}, amd64);
    expect(sources(analysis.stages[0])).toEqual([
      { line: 3, instruction: "COPY", raw: "acme/assets", from: { kind: "image", ref: "acme/assets" } },
    ]);
    expect(analysis.warnings).toEqual([
      {
        message:
          'COPY --from=${ASSETS}: BuildKit does not expand variables here and will fail; name the image in a stage ("FROM ${ASSETS} AS …") and use that stage',
        location: { file: "Dockerfile", line: 3 },
        variable: "ASSETS",
      },
    ]);
  });

  test("cache mount ids see the stage's ARG and ENV values, and those of the stage it is built on", () => {
    const text = [
      "ARG FLAVOR=full",
      "FROM a AS one",
      "ARG FLAVOR",
      "ENV TOOL=npm",
      "FROM one",
      "RUN --mount=type=cache,id=${TOOL}-${FLAVOR},target=/cache true",
      "",
    ].join("\n");
    const analysis = analyzeDockerfile(text, "Dockerfile", {}, amd64);
    expect(analysis.stages[1]?.cacheMounts.map((m) => m.id)).toEqual(["npm-full"]);
    const overridden = analyzeDockerfile(text, "Dockerfile", { FLAVOR: "slim" }, amd64);
    expect(overridden.stages[1]?.cacheMounts.map((m) => m.id)).toEqual(["npm-slim"]);
  });

  test("a duplicated stage name is reported; a Dockerfile with no FROM has no stage; neither throws", () => {
    const twice = analyzeDockerfile("FROM a AS x\nFROM b AS X\n", "Dockerfile", {}, amd64);
    expect(twice.warnings).toEqual([
      {
        message: 'stage name "x" is used twice; the last stage of that name wins',
        location: { file: "Dockerfile", line: 2 },
      },
    ]);
    expect(analyzeDockerfile("# nothing here\n", "Dockerfile", {}, amd64)).toEqual({
      file: "Dockerfile",
      stages: [],
      globalArgs: {},
      resolvedArgs: {},
      warnings: [],
      errors: [],
    });
  });
});
