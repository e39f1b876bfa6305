import { describe, expect, test } from "vitest";
import { createBakeDemux } from "../../src/backends/bake-progress.js";
import { createProgressParser } from "../../src/backends/progress.js";
import { readEngineFixture } from "./engine-fixture.js";

// Captured from buildx v0.10.5 on dockerd 20.10 (capture.sh): two generated targets, as dockbuild runs them.
const TAGS = new Map([
  ["dockbuild-0", ["dockbuild-backend-test/fixture-bake-cold:latest"]],
  ["dockbuild-1", ["dockbuild-backend-test/fixture-bake-multistage:latest"]],
]);

/** Every line of a captured bake, split by target, with the line number at which each target completed. */
function split(fixture: string) {
  const demux = createBakeDemux(TAGS);
  const lines = new Map<string, string[]>();
  const completed: [string, number][] = [];
  const unrouted: string[] = [];
  readEngineFixture(fixture)
    .split("\n")
    .forEach((raw, n) => {
      const routed = demux.push(raw);
      if (routed.target === undefined) unrouted.push(routed.line);
      else lines.set(routed.target, [...(lines.get(routed.target) ?? []), routed.line]);
      for (const name of routed.completed) completed.push([name, n + 1]);
    });
  return { lines, completed, unrouted };
}

describe("createBakeDemux on a bake of two targets", () => {
  test("gives each target its own lines, as a build of it alone prints them", () => {
    const { lines } = split("bake-two.txt");
    expect(
      lines.get("dockbuild-0")?.filter((l) => /^#\d+ [[a-z]/.test(l) && !/^#\d+ (DONE|CACHED)/.test(l)),
    ).toEqual([
      "#3 [internal] load build definition from Dockerfile",
      "#3 transferring dockerfile: 231B done",
      "#4 [internal] load .dockerignore",
      "#4 transferring context: 2B done",
      "#5 [internal] load metadata for docker.io/dockbuild-backend-test/busybox:latest",
      "#8 [internal] load build context",
      "#8 transferring context: 65B done",
      "#6 [base 1/2] FROM docker.io/dockbuild-backend-test/busybox:latest",
      "#9 [2/4] WORKDIR /app",
      "#10 [3/4] COPY hello.txt /app/hello.txt",
      '#11 [4/4] RUN echo "nonce 1796224840597308817" > /app/nonce.txt && cat /app/hello.txt',
      "#13 exporting to image",
      "#13 exporting layers 0.1s done",
      "#13 writing image sha256:ed156638aa84ed7bb85078cba77a148e4a56375d4bf6d0f45d54b960bdfaf806 done",
      "#13 naming to docker.io/dockbuild-backend-test/fixture-bake-cold:latest done",
    ]);
    expect(lines.get("dockbuild-1")).toContain(
      "#14 [production 1/1] COPY --from=builder /artifact.txt /artifact.txt",
    );
    expect(lines.get("dockbuild-1")).toContain(
      "#13 naming to docker.io/dockbuild-backend-test/fixture-bake-multistage:latest done",
    );
    expect(lines.get("dockbuild-1")?.some((l) => l.includes("fixture-bake-cold"))).toBe(false);
  });

  test("completes each target the moment the engine has named its image", () => {
    expect(split("bake-two.txt").completed).toEqual([
      ["dockbuild-0", 53],
      ["dockbuild-1", 65],
    ]);
  });

  test("gives each target's progress parser its steps", () => {
    const { lines } = split("bake-two.txt");
    const parse = (target: string) => {
      const parser = createProgressParser();
      for (const line of lines.get(target) ?? []) parser.push(line);
      return parser.summary();
    };
    expect(parse("dockbuild-1")).toMatchObject({ steps: 4, cachedSteps: 0, errorLines: [] });
    expect(parse("dockbuild-0").errorLines).toEqual([]);
  });

  test("when one target fails, the one named before it is complete and the failed one is not", () => {
    const { completed, lines, unrouted } = split("bake-failing.txt");
    expect(completed.map(([name]) => name)).toEqual(["dockbuild-0"]);
    expect(lines.get("dockbuild-1")).toContain(
      '#13 ERROR: executor failed running [/bin/sh -c echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3]: exit code: 3',
    );
    // the closing error names no target: it is nobody's line (the failed build runs again on its own)
    expect(unrouted.some((l) => l.startsWith("ERROR: failed to solve"))).toBe(true);
  });

  test("a target without tags never completes before bake ends; a tag is matched as the engine names it", () => {
    const demux = createBakeDemux(
      new Map([
        ["a", []],
        ["b", ["acme/b"]],
      ]),
    );
    expect(demux.push("#1 [a] exporting to image").target).toBe("a");
    expect(demux.push("#1 naming to docker.io/acme/b:latest done")).toEqual({
      target: "b",
      line: "#1 naming to docker.io/acme/b:latest done",
      completed: ["b"],
    });
    expect(demux.push("#2 [other 1/2] FROM x")).toEqual({ line: "#2 [other 1/2] FROM x", completed: [] });
  });
});
