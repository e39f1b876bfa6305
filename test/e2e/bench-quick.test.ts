import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, expect, test } from "vitest";
import { BUSYBOX_IMAGE, REPO_ROOT, removeImages, tryDocker } from "./helpers/index.js";
import { nonce } from "./helpers/extra.js";
import { startSecondEngine, type SecondEngine } from "./helpers/second-engine.js";

// The quick benchmark (3 services, one run) proves that the bench works. Its cold runs empty the build cache of
// the engine they run on, so it runs on an engine of its own (`--docker-host`), and the machine's engine keeps
// every cache record it had: running the tests must never wipe a user's build cache.

const CANARY = `dbe2e-bench-canary-${nonce(3)}`;
let engine: SecondEngine | undefined;
let out: string | undefined;
afterAll(async () => {
  await engine?.stop();
  if (out) await rm(out, { recursive: true, force: true });
  await removeImages(CANARY);
});

/** Build a one-step image on the machine's engine; whether its RUN step came from the build cache. */
async function buildCanary(stamp: string): Promise<boolean> {
  const dockerfile = `FROM ${BUSYBOX_IMAGE}\nRUN echo "${stamp}" > /canary\n`;
  const built = await tryDocker(["build", "--progress=plain", "-t", `${CANARY}:latest`, "-"], {
    input: dockerfile,
  });
  expect(built.exitCode, built.stderr).toBe(0);
  const step = /^(#\d+) \[2\/2\] RUN echo/m.exec(built.stderr)?.[1];
  expect(step, built.stderr).toBeDefined();
  return new RegExp(`^${step} CACHED$`, "m").test(built.stderr);
}

test("the quick bench runs on an engine of its own; the machine's engine keeps its build cache", async () => {
  const stamp = `canary-${nonce()}`;
  expect(await buildCanary(stamp)).toBe(false);

  engine = await startSecondEngine({ bridge: "dbk7", address: "10.217.7.1/24" });
  out = await mkdtemp(path.join(os.tmpdir(), "dockbuild-bench-quick-"));
  const bench = await execa(
    process.execPath,
    ["bench/run.mjs", "--quick", "--docker-host", engine.host, "--out", out],
    { cwd: REPO_ROOT, stdin: "ignore", all: true, reject: false, timeout: 20 * 60_000 },
  );
  expect(bench.exitCode, bench.all).toBe(0);
  expect(bench.all).toContain("the engine's build cache is pruned before every cold run");
  const report = JSON.parse(await readFile(path.join(out, "latest.json"), "utf8")) as {
    rows: { scenario: string; n: number }[];
  };
  expect(report.rows.map((r) => r.scenario)).toEqual(expect.arrayContaining(["cold", "noop", "plan"]));

  // The canary's step is still in the machine's build cache: the same build again comes from it.
  expect(await buildCanary(stamp)).toBe(true);
});

test("without an engine of its own the bench refuses its cold runs before it starts", async () => {
  const refused = await execa(process.execPath, ["bench/run.mjs", "--quick", "--scenarios", "cold"], {
    cwd: REPO_ROOT,
    env: { DOCKER_HOST: undefined },
    stdin: "ignore",
    all: true,
    reject: false,
    timeout: 60_000,
  });
  expect(refused.exitCode, refused.all).toBe(2);
  expect(refused.all).toMatch(/^bench: the cold scenario empties the engine's build cache .*--docker-host/m);
});
