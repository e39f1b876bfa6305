import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { runBuild } from "../../src/backends/build.js";
import type { EngineInfo } from "../../src/backends/types.js";
import type { StepProgress } from "../../src/backends/types.js";
import { readEngineFixture } from "./engine-fixture.js";
import { writeFakeDocker, type FakeDocker } from "./fake-docker.js";
import { DOCKER_20, job } from "./jobs.js";

const root = mkdtempSync(path.join(tmpdir(), "dockbuild-build-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.DOCKBUILD_TEST_SECRET;
});

let count = 0;
/** A fresh fake client and an engine that runs it. */
function fakeEngine(fake: Omit<FakeDocker, "version">): { dir: string; engine: EngineInfo } {
  const dir = path.join(root, `fake-${++count}`);
  const docker = writeFakeDocker(dir, { version: { stdout: "" }, ...fake });
  return { dir, engine: { ...DOCKER_20, dockerBinary: docker } };
}

function argv(dir: string): string {
  return readFileSync(path.join(dir, "calls"), "utf8").trim();
}

const signal = () => new AbortController().signal;

describe("runBuild with a fake Docker client replaying real engine output", () => {
  test("a build that works: image id, steps, every line and step reported", async () => {
    const { dir, engine } = fakeEngine({ build: { output: readEngineFixture("build-cached.txt") } });
    const lines: string[] = [];
    const steps: StepProgress[] = [];
    const result = await runBuild(job(), engine, {
      signal: signal(),
      onLine: (l) => lines.push(l),
      onStep: (s) => steps.push(s),
    });
    expect(result).toEqual({
      ok: true,
      cancelled: false,
      command: `DOCKER_BUILDKIT=1 ${engine.dockerBinary} build --progress=plain -f /repo/api/Dockerfile -t acme/api:dev /repo/api`,
      imageId: "sha256:6d5611eebea5f5cf3aa0971647c03348678e8c4b9620c327609f41932e408bde",
      steps: 4,
      cachedSteps: 3,
      errorLines: [],
      exitCode: 0,
      warnings: [],
    });
    expect(argv(dir)).toBe("build --progress=plain -f /repo/api/Dockerfile -t acme/api:dev /repo/api");
    expect(lines).toEqual(readEngineFixture("build-cached.txt").trimEnd().split("\n"));
    expect(steps.at(-1)).toEqual({
      name: expect.stringMatching(/^\[4\/4\] RUN/),
      done: 4,
      cached: 3,
      total: 4,
    });
  });

  test("a failing RUN: the step, its output and the engine's error", async () => {
    const { engine } = fakeEngine({ build: { output: readEngineFixture("build-failing.txt"), exitCode: 1 } });
    const result = await runBuild(job(), engine, { signal: signal() });
    expect(result).toMatchObject({ ok: false, cancelled: false, exitCode: 1, steps: 3, cachedSteps: 1 });
    expect(result.errorLines).toEqual([
      `[3/4] RUN echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3`,
      "compiling module a",
      "error: module b is broken",
      `ERROR: executor failed running [/bin/sh -c echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3]: exit code: 3`,
    ]);
  });

  test("output the parser does not know still explains a failure", async () => {
    const { engine } = fakeEngine({ build: { output: "\nsomething unexpected happened\n", exitCode: 2 } });
    const result = await runBuild(job(), engine, { signal: signal() });
    expect([result.ok, result.errorLines]).toEqual([false, ["something unexpected happened"]]);
  });

  test("a secret's value is in neither the command shown nor argv", async () => {
    process.env.DOCKBUILD_TEST_SECRET = "hunter2-not-for-logs";
    const { dir, engine } = fakeEngine({ build: { output: readEngineFixture("build-mounts.txt") } });
    const result = await runBuild(
      job({
        secrets: [
          { id: "token", environment: "DOCKBUILD_TEST_SECRET" },
          { id: "npm", file: "/repo/.secrets/npmrc" },
        ],
      }),
      engine,
      { signal: signal() },
    );
    expect(result.ok).toBe(true);
    expect(result.command).toContain(
      "--secret id=token,env=DOCKBUILD_TEST_SECRET --secret id=npm,src=/repo/.secrets/npmrc",
    );
    expect(result.command).not.toContain("hunter2");
    expect(argv(dir)).not.toContain("hunter2");
  });

  test("on an engine without named contexts, image contexts are rewritten into the Dockerfile sent on stdin", async () => {
    const { dir, engine } = fakeEngine({ build: { output: readEngineFixture("build-cold.txt") } });
    const dockerfile = path.join(dir, "Dockerfile");
    const dockerfileText = "FROM base AS deps\nCOPY --from=tools /bin/tool /bin/tool\nRUN true\n";
    writeFileSync(dockerfile, dockerfileText);
    const result = await runBuild(
      job({
        dockerfile,
        dockerfileText,
        namedContexts: {
          base: { kind: "image", ref: "acme/base:dev", service: "base" },
          tools: { kind: "image", ref: "acme/tools:1" },
        },
      }),
      engine,
      { signal: signal() },
    );
    expect(result.ok).toBe(true);
    expect(argv(dir)).toBe("build --progress=plain -f - -t acme/api:dev /repo/api");
    expect(readFileSync(path.join(dir, "stdin"), "utf8")).toBe(
      "FROM acme/base:dev AS deps\nCOPY --from=acme/tools:1 /bin/tool /bin/tool\nRUN true\n",
    );
    expect(result.command).toBe(
      `DOCKER_BUILDKIT=1 ${engine.dockerBinary} build --progress=plain -f - -t acme/api:dev /repo/api # Dockerfile text on stdin`,
    );
  });

  test("a folder context the engine cannot take fails the build before anything runs", async () => {
    const { dir, engine } = fakeEngine({});
    const result = await runBuild(
      job({ namedContexts: { assets: { kind: "path", path: "/repo/assets" } } }),
      engine,
      {
        signal: signal(),
      },
    );
    expect(result).toMatchObject({ ok: false, cancelled: false, steps: 0 });
    expect(result.errorLines).toEqual([
      expect.stringMatching(/^service api: build\.additional_contexts\.assets: the path context/),
    ]);
    expect(existsSync(path.join(dir, "calls"))).toBe(false);
  });

  test("warnings are handed over before the build starts", async () => {
    const { engine } = fakeEngine({ build: { output: readEngineFixture("build-cold.txt") } });
    const warnings: string[] = [];
    const result = await runBuild(job({ privileged: true }), engine, {
      signal: signal(),
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings).toEqual([
      "service api: build.privileged is not supported by the docker backend (`docker build` has no --allow); ignored",
    ]);
    expect(result.warnings).toEqual(warnings);
  });

  test("aborting stops the client and what it started; the result says cancelled", async () => {
    const { dir, engine } = fakeEngine({
      build: { output: readEngineFixture("build-cold.txt"), sleepSeconds: 60 },
    });
    const controller = new AbortController();
    const started = Date.now();
    const result = await runBuild(job(), engine, {
      signal: controller.signal,
      onLine: (line) => {
        if (line.includes("naming to")) setTimeout(() => controller.abort(), 100);
      },
    });
    expect([result.ok, result.cancelled, result.errorLines]).toEqual([false, true, []]);
    expect(Date.now() - started).toBeLessThan(10_000);
    const pid = Number(readFileSync(path.join(dir, "child.pid"), "utf8"));
    await expect.poll(() => isAlive(pid), { timeout: 5000 }).toBe(false);
  });

  test("an already aborted signal starts nothing", async () => {
    const { dir, engine } = fakeEngine({});
    const controller = new AbortController();
    controller.abort();
    const result = await runBuild(job(), engine, { signal: controller.signal });
    expect([result.ok, result.cancelled]).toEqual([false, true]);
    expect(existsSync(path.join(dir, "calls"))).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
