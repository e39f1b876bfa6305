import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createBuildBatcher } from "../../src/backends/bake-batch.js";
import type { BuildOutcome, EngineInfo } from "../../src/backends/types.js";
import type { BuildJob } from "../../src/plan/types.js";
import { engineFixturePath } from "./engine-fixture.js";
import { job } from "./jobs.js";

const root = mkdtempSync(path.join(tmpdir(), "dockbuild-batch-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * A buildx plugin that records each call. `bake` saves the definition it reads and prints `bake.out`, then
 * exits with `bake.exit` (or never, with `bake.hang`); `build` prints a captured failure for a tag containing
 * "fail" and a captured success otherwise.
 */
function fakePlugin(name: string, bake: { output: string; exitCode?: number; hang?: boolean }): string {
  const dir = path.join(root, name);
  const plugin = path.join(dir, "docker-buildx");
  writeFileSync(path.join(root, `${name}.calls`), "");
  const script = [
    "#!/bin/sh",
    `printf '%s\\n' "$*" >> '${root}/${name}.calls'`,
    'case "$1" in',
    `  bake) /bin/cat > '${root}/${name}.definition'; /bin/cat '${engineFixturePath(bake.output)}' >&2;` +
      (bake.hang ? " exec /bin/sleep 30 ;;" : ` exit ${bake.exitCode ?? 0} ;;`),
    '  build) case "$*" in',
    `    *fail*) /bin/cat '${engineFixturePath("build-failing.txt")}' >&2; exit 1 ;;`,
    `    *) /bin/cat '${engineFixturePath("build-cold.txt")}' >&2; exit 0 ;;`,
    "  esac ;;",
    "esac",
    "",
  ].join("\n");
  mkdirSync(dir, { recursive: true });
  writeFileSync(plugin, script);
  chmodSync(plugin, 0o755);
  return plugin;
}

const calls = (name: string) =>
  readFileSync(path.join(root, `${name}.calls`), "utf8")
    .trim()
    .split("\n");

const engine = (plugin: string): EngineInfo => ({
  backend: "buildx",
  dockerBinary: "docker",
  clientVersion: "20.10.24+dfsg1",
  serverVersion: "20.10.24+dfsg1",
  buildxVersion: "0.10.5",
  buildxDriver: "docker",
  namedContexts: false,
  buildxPlugin: plugin,
});

const COLD = job({
  id: { service: "cold" },
  key: "cold",
  services: ["cold"],
  context: "/ctx/cold",
  tags: ["dockbuild-backend-test/fixture-bake-cold:latest"],
});
const MULTI = job({
  id: { service: "multi" },
  key: "multi",
  services: ["multi"],
  context: "/ctx/multi",
  target: "production",
  tags: ["dockbuild-backend-test/fixture-bake-multistage:latest"],
});
const FAILING = { ...MULTI, tags: ["dockbuild-backend-test/fixture-bake-fail:latest"] };

/** Start every job in the same turn, as the scheduler starts jobs that became ready together. */
function startTogether(
  build: ReturnType<typeof createBuildBatcher>,
  jobs: BuildJob[],
  signal = new AbortController().signal,
) {
  const logs = new Map<string, string[]>();
  const outcomes = jobs.map((j) =>
    build(j, {
      signal,
      onLine: (line) => logs.set(j.key, [...(logs.get(j.key) ?? []), line]),
      onWarning: () => {},
    }),
  );
  return { logs, outcomes };
}

describe("builds started together run as one bake", () => {
  test("one process for both; each build gets its own lines and its own outcome", async () => {
    const plugin = fakePlugin("two", { output: "bake-two.txt" });
    const { logs, outcomes } = startTogether(createBuildBatcher(engine(plugin)), [COLD, MULTI]);
    const [cold, multi] = (await Promise.all(outcomes)) as [BuildOutcome, BuildOutcome];
    expect(calls("two")).toEqual(["bake -f - --progress=plain dockbuild-0 dockbuild-1"]);
    expect(cold).toMatchObject({ ok: true, cancelled: false, errorLines: [] });
    expect(multi).toMatchObject({ ok: true, cancelled: false, steps: 4, errorLines: [] });
    expect(cold.command).toContain("bake -f - --progress=plain dockbuild-0 # ");
    expect(logs.get("cold")).toContain("#9 [2/4] WORKDIR /app");
    expect(logs.get("multi")).not.toContain("#9 [2/4] WORKDIR /app");
    const definition: unknown = JSON.parse(readFileSync(path.join(root, "two.definition"), "utf8"));
    expect(definition).toEqual({
      target: {
        "dockbuild-0": {
          context: "/ctx/cold",
          dockerfile: "/repo/api/Dockerfile",
          tags: COLD.tags,
          output: ["type=docker"],
        },
        "dockbuild-1": {
          context: "/ctx/multi",
          dockerfile: "/repo/api/Dockerfile",
          target: "production",
          tags: MULTI.tags,
          output: ["type=docker"],
        },
      },
    });
  });

  test("a build is done when its image is named: stopping the bake after that cancels only the other", async () => {
    const plugin = fakePlugin("hang", { output: "bake-failing.txt", hang: true });
    const stop = new AbortController();
    const { outcomes } = startTogether(createBuildBatcher(engine(plugin)), [COLD, FAILING], stop.signal);
    const cold = await outcomes[0];
    expect(cold).toMatchObject({ ok: true, cancelled: false });
    stop.abort();
    expect(await outcomes[1]).toMatchObject({ ok: false, cancelled: true });
    expect(calls("hang")).toHaveLength(1);
  });

  test("one build's own signal (its time limit) stops the bake: it is cancelled, the other runs again alone", async () => {
    const plugin = fakePlugin("limit", { output: "bake-failing.txt", hang: true });
    const build = createBuildBatcher(engine(plugin));
    const limit = new AbortController();
    const quiet = { onLine: () => {}, onWarning: () => {} };
    const slow = build(FAILING, { signal: limit.signal, ...quiet });
    // a tag the bake never names: it is still building when the other's limit stops the bake
    const other = build(
      { ...COLD, tags: ["dockbuild-backend-test/other:latest"] },
      { signal: new AbortController().signal, ...quiet },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    limit.abort();
    expect(await slow).toMatchObject({ ok: false, cancelled: true });
    expect(await other).toMatchObject({ ok: true, cancelled: false });
    const [bake, again] = calls("limit");
    expect(bake).toBe("bake -f - --progress=plain dockbuild-0 dockbuild-1");
    expect(again).toMatch(/^build .*dockbuild-backend-test\/other:latest/);
    expect(calls("limit")).toHaveLength(2);
  });

  test("when the bake fails, each build it did not finish runs again on its own, with its own error", async () => {
    const plugin = fakePlugin("failing", { output: "bake-failing.txt", exitCode: 1 });
    const { outcomes } = startTogether(createBuildBatcher(engine(plugin)), [COLD, FAILING]);
    const [cold, failing] = (await Promise.all(outcomes)) as [BuildOutcome, BuildOutcome];
    expect(cold).toMatchObject({ ok: true });
    expect(failing).toMatchObject({ ok: false, cancelled: false, exitCode: 1 });
    expect(failing.errorLines).toContain(
      'ERROR: executor failed running [/bin/sh -c echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3]: exit code: 3',
    );
    expect(failing.command).toMatch(/docker-buildx build --progress=plain .* \/ctx\/multi$/);
    const [bake, again] = calls("failing");
    expect(bake).toBe("bake -f - --progress=plain dockbuild-0 dockbuild-1");
    expect(again).toContain("build --progress=plain");
    expect(again).toContain("fixture-bake-fail");
    expect(calls("failing")).toHaveLength(2);
  });

  test("a build bake cannot express, and a build started alone, run as builds", async () => {
    const plugin = fakePlugin("alone", { output: "bake-two.txt" });
    const build = createBuildBatcher(engine(plugin));
    const host = { ...MULTI, network: "host" };
    await Promise.all(startTogether(build, [COLD, host]).outcomes);
    await Promise.all(startTogether(build, [COLD]).outcomes);
    expect(calls("alone").map((c) => c.split(" ")[0])).toEqual(["build", "build", "build"]);
    expect(calls("alone").filter((c) => c.includes("--network host"))).toHaveLength(1);
  });
});
