import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { detectEngine, inspectImages, resetEngineCache, runBuild } from "../../src/backends/index.js";
import type { EngineInfo } from "../../src/backends/index.js";
import { DockbuildError } from "../../src/errors.js";
import type { BuildJob } from "../../src/plan/types.js";
import type { StepProgress } from "../../src/backends/types.js";
import {
  BUSYBOX_IMAGE,
  docker,
  dockerClient,
  imageLabels,
  makeTempProject,
  removeImages,
} from "./helpers/index.js";
import { makeJob } from "../helpers/build-job.js";

// The backends module against the real engine: what it builds is asserted on what the engine holds afterwards.

const PREFIX = `dockbuild-backend-test/e2e-${randomBytes(3).toString("hex")}`;
let engine: EngineInfo;

beforeAll(async () => {
  resetEngineCache();
  engine = await detectEngine({ env: { ...process.env, DOCKBUILD_DOCKER: dockerClient() } });
});
afterAll(async () => {
  await removeImages(PREFIX);
});

/** A job for the Dockerfile in `context`, its text read as the loader reads it. */
function job(context: string, over: Partial<BuildJob> = {}): BuildJob {
  const dockerfile = `${context}/Dockerfile`;
  const dockerfileText = readFileSync(dockerfile, "utf8");
  return makeJob("app", { context, dockerfile, dockerfileText, tags: [], ...over });
}

const signal = () => new AbortController().signal;

describe("detectEngine on this machine", () => {
  test("the tests' client is one dockbuild can build with", () => {
    expect(engine).toMatchObject({
      dockerBinary: dockerClient(),
      namedContexts: engine.backend === "buildx" && engine.namedContexts,
    });
    expect(engine.serverVersion).toMatch(/^\d+\.\d+/);
  });

  // Only machines set up like the project's (DESIGN.md) have a Docker 28 client without buildx in /usr/local/bin.
  test.runIf(existsSync("/usr/local/bin/docker") && existsSync("/usr/bin/docker"))(
    "a newer client without buildx first on PATH: exit 3, naming the client that works",
    async () => {
      const plugin = await detectEngine({ dockerBinary: "/usr/local/bin/docker", env: process.env }).then(
        (e) => e.backend,
        (e: unknown) => e,
      );
      if (plugin === "buildx") return; // this machine's newer client has the plugin: nothing to refuse
      expect(plugin).toBeInstanceOf(DockbuildError);
      const error = plugin as DockbuildError;
      expect([error.code, error.exitCode]).toEqual(["NO_ENGINE", 3]);
      expect(error.message).toMatch(
        /^\/usr\/local\/bin\/docker \(Docker client \d+\.\d+\.\d+\) has no buildx plugin, and Docker clients from 23\.0 on refuse BuildKit builds without it$/,
      );
      expect(error.hint).toContain("DOCKBUILD_DOCKER=/usr/bin/docker");
    },
  );
});

describe("runBuild on the real engine", () => {
  test("builds, labels and tags the image; the file written by RUN is in it", async () => {
    const nonce = randomBytes(6).toString("hex");
    const context = await makeTempProject({
      Dockerfile: `FROM ${BUSYBOX_IMAGE}\nARG NONCE\nRUN echo "built $NONCE" > /built.txt\n`,
    });
    const tag = `${PREFIX}-plain:latest`;
    const steps: StepProgress[] = [];
    const result = await runBuild(
      job(context, { tags: [tag], labels: { "org.example.dockbuild": nonce }, args: { NONCE: nonce } }),
      engine,
      { signal: signal(), onStep: (s) => steps.push(s) },
    );
    expect(result).toMatchObject({ ok: true, cancelled: false, steps: 2, errorLines: [], exitCode: 0 });
    expect(steps.at(-1)).toMatchObject({ done: 2, total: 2 });

    const refs = [tag, `${PREFIX}-missing:latest`];
    const images = await inspectImages(engine, refs);
    expect([...images.keys()]).toEqual([tag]);
    // the engine's socket and the client say the same
    expect(engine.socket).toBeDefined();
    expect(await inspectImages({ dockerBinary: engine.dockerBinary }, refs)).toEqual(images);
    expect(images.get(tag)).toMatchObject({
      id: result.imageId,
      tags: [tag],
      labels: { "org.example.dockbuild": nonce },
    });
    expect(images.get(tag)?.sizeBytes).toBeGreaterThan(0);
    expect(await imageLabels(tag)).toMatchObject({ "org.example.dockbuild": nonce });
    expect(await docker(["run", "--rm", tag, "cat", "/built.txt"])).toBe(`built ${nonce}`);

    const again = await runBuild(
      job(context, { tags: [tag], labels: { "org.example.dockbuild": nonce }, args: { NONCE: nonce } }),
      engine,
      { signal: signal() },
    );
    expect(again).toMatchObject({ ok: true, imageId: result.imageId, steps: 2, cachedSteps: 1 });
  });

  test("an image context the engine cannot take as a flag is rewritten into the Dockerfile", async () => {
    const context = await makeTempProject({
      Dockerfile:
        "FROM base AS app\nCOPY --from=tools /bin/busybox /opt/busybox\nRUN test -x /opt/busybox && echo ok > /ok\n",
    });
    const tag = `${PREFIX}-contexts:latest`;
    const result = await runBuild(
      job(context, {
        tags: [tag],
        namedContexts: {
          base: { kind: "image", ref: BUSYBOX_IMAGE, service: "base" },
          tools: { kind: "image", ref: BUSYBOX_IMAGE },
        },
      }),
      engine,
      { signal: signal() },
    );
    expect(result.errorLines).toEqual([]);
    expect(result.ok).toBe(true);
    expect(await docker(["run", "--rm", tag, "cat", "/ok"])).toBe("ok");
  });

  test("a secret reaches the build by reference: never in the command or the output, present in the step", async () => {
    const value = `s3cr3t-${randomBytes(6).toString("hex")}`;
    const digest = createHash("sha256").update(value).digest("hex");
    const context = await makeTempProject({
      Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN --mount=type=secret,id=token sha256sum /run/secrets/token\n`,
    });
    process.env.DOCKBUILD_E2E_SECRET = value;
    try {
      const lines: string[] = [];
      const result = await runBuild(
        job(context, {
          tags: [`${PREFIX}-secret:latest`],
          noCache: true,
          secrets: [{ id: "token", environment: "DOCKBUILD_E2E_SECRET" }],
        }),
        engine,
        { signal: signal(), onLine: (l) => lines.push(l) },
      );
      expect(result.errorLines).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.command).toContain("--secret id=token,env=DOCKBUILD_E2E_SECRET");
      expect(result.command).not.toContain(value);
      expect(lines.join("\n")).not.toContain(value);
      expect(lines.some((l) => l.includes(`${digest}  /run/secrets/token`))).toBe(true);
    } finally {
      delete process.env.DOCKBUILD_E2E_SECRET;
    }
  });

  test("a failing RUN: its output and the engine's error come back", async () => {
    const context = await makeTempProject({
      Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo "checking the widget" && echo "widget is broken" >&2 && exit 7\n`,
    });
    const result = await runBuild(job(context, { noCache: true }), engine, { signal: signal() });
    expect(result).toMatchObject({ ok: false, cancelled: false });
    expect(result.exitCode).not.toBe(0);
    expect(result.errorLines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[2\/2\] RUN echo "checking the widget"/),
        "checking the widget",
        "widget is broken",
        expect.stringMatching(/exit code: 7$/),
      ]),
    );
  });

  test("cancelling stops the build promptly", async () => {
    const context = await makeTempProject({
      Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo started && sleep 60\n`,
    });
    const controller = new AbortController();
    const started = Date.now();
    const result = await runBuild(job(context, { noCache: true, load: false }), engine, {
      signal: controller.signal,
      onLine: (line) => {
        if (line.endsWith(" started")) controller.abort();
      },
    });
    expect([result.ok, result.cancelled]).toEqual([false, true]);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
