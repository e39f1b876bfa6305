import { readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { analyzeDockerfile, contextName, rewriteReferences } from "../../src/dockerfile/index.js";
import { readFixture } from "./read-fixture.js";

const replacements = {
  base: "dockbuild-base:latest",
  tools: "acme/tools@sha256:0123abcd",
  assets: "127.0.0.1:5000/assets:7",
  cache: "warm-cache",
};

/** Line numbers (1-based) where two texts differ. */
function changedLines(a: string, b: string): number[] {
  const left = a.split("\n");
  const right = b.split("\n");
  expect(right.length).toBe(left.length);
  return left.flatMap((line, i) => (line === right[i] ? [] : [i + 1]));
}

describe("rewriteReferences", () => {
  test("rewrites FROM, COPY --from and --mount from= references to context names, and nothing else", () => {
    const input = readFixture("rewrite-input.Dockerfile");
    const output = rewriteReferences(input, replacements);
    expect(output).toBe(readFixture("rewrite-expected.Dockerfile"));
    expect(changedLines(input, output)).toEqual([3, 6, 12, 13, 14, 21, 22, 23]);
  });

  test("the rewritten Dockerfile resolves to the images, with the stages it still has", () => {
    const output = rewriteReferences(readFixture("rewrite-input.Dockerfile"), replacements);
    const analysis = analyzeDockerfile(output, "Dockerfile", {}, { build: "linux/amd64" });
    expect(analysis.stages.map((s) => [s.name, s.base, s.sources.map((x) => x.from)])).toEqual([
      [
        "deps",
        { kind: "image", ref: "dockbuild-base:latest" },
        [{ kind: "image", ref: "acme/tools@sha256:0123abcd" }],
      ],
      [
        "again",
        { kind: "image", ref: "dockbuild-base:latest" },
        [
          { kind: "image", ref: "127.0.0.1:5000/assets:7" },
          { kind: "image", ref: "127.0.0.1:5000/assets:7" },
          { kind: "stage", stage: "deps" },
        ],
      ],
      ["cache", { kind: "scratch" }, [{ kind: "stage", stage: "deps" }]],
      [
        "other",
        { kind: "image", ref: "base:2" },
        [
          { kind: "image", ref: "warm-cache" },
          { kind: "image", ref: "warm-cache" },
          { kind: "image", ref: "warm-cache" },
        ],
      ],
    ]);
  });

  test("keeps CRLF line endings byte for byte", () => {
    const crlf = (text: string) => text.replace(/\n/g, "\r\n");
    const output = rewriteReferences(crlf(readFixture("rewrite-input.Dockerfile")), replacements);
    expect(output).toBe(crlf(readFixture("rewrite-expected.Dockerfile")));
  });

  test("keeps the escape directive and backtick continuations", () => {
    const input = readFixture("escape-backtick.Dockerfile");
    const output = rewriteReferences(input, { "acme/win:ltsc2022": "mirror/win:ltsc2022" });
    expect(output).toBe(input.replace("FROM ${BASE}:ltsc2022 `\n", "FROM mirror/win:ltsc2022 `\n"));
  });

  test("rewrites mount sources, quoted flags included, and leaves the overridden stage's own FROM alone", () => {
    const input = readFixture("run-mounts.Dockerfile");
    const output = rewriteReferences(input, { tools: "acme/tools:9", "acme/fixtures:1": "local/fixtures:1" });
    expect(changedLines(input, output)).toEqual([9, 12, 13, 15]);
    expect(output.split("\n").filter((_, i) => [0, 8, 11, 12, 14].includes(i))).toEqual([
      "FROM acme/base AS tools",
      "    --mount=type=bind,from=acme/tools:9,source=/tool,target=/usr/local/bin/tool \\",
      "RUN --mount=from=local/fixtures:1,target=/fixtures ls /fixtures",
      "RUN --mount=type=cache,from=acme/tools:9,source=/,target=/seed cp -r /seed /x",
      'RUN --mount="type=bind,from=acme/tools:9,target=/t" ls /t',
    ]);
    const last = 'FROM x AS tools\nFROM y\nRUN --mount="type=bind,target=/t,from=tools" ls\n';
    expect(rewriteReferences(last, { tools: "acme/tools:9" })).toBe(
      'FROM x AS tools\nFROM y\nRUN --mount="type=bind,target=/t,from=acme/tools:9" ls\n',
    );
  });

  test("expands FROM with the build's args before matching", () => {
    const input = readFixture("arg-default.Dockerfile");
    expect(
      rewriteReferences(
        input,
        { "acme/node:22": "local/node:22" },
        { buildArgs: { BASE_IMAGE: "acme/node:22" } },
      ),
    ).toBe(input.replace("FROM ${BASE_IMAGE} AS app", "FROM local/node:22 AS app"));
    expect(rewriteReferences(input, { "acme/node:22": "local/node:22" })).toBe(input);
  });

  test.each(readdirSync(new URL("../fixtures/dockerfile/", import.meta.url)))(
    "%s is returned unchanged when no name matches",
    (fixture) => {
      const input = readFixture(fixture);
      expect(rewriteReferences(input, { "no-such-context": "x/y:1" })).toBe(input);
      expect(rewriteReferences(input, {})).toBe(input);
    },
  );

  test.each([
    ["base", "base"],
    ["base:latest", "base"],
    ["docker.io/library/base", "base"],
    ["docker.io/library/base:latest", "base"],
    ["docker.io/acme/base:1", "acme/base:1"],
    ["127.0.0.1:5000/acme/base:latest", "127.0.0.1:5000/acme/base"],
    ["acme/base@sha256:abcd", "acme/base@sha256:abcd"],
  ])("context name of %s is %s", (ref, name) => {
    expect(contextName(ref)).toBe(name);
  });
});
