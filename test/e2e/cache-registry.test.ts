import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BUSYBOX_IMAGE, makeTempProject, runDockbuild, type DockbuildRun } from "./helpers/index.js";
import { startRegistry, type TestRegistry } from "./helpers/registry.js";
import { startSecondEngine, type SecondEngine } from "./helpers/second-engine.js";

// Layer cache through a real registry with the docker backend (`docker build`, Docker 20.10): inline cache is
// pushed with the images, the engine forgets everything (build cache pruned, images removed), and the next build
// finds its steps in the registry. These tests prune the build cache, so they run on an engine of their own,
// never on the machine's engine that other tests (and people) use at the same time.

const RUN = randomBytes(3).toString("hex");
let registry: TestRegistry;
let engine: SecondEngine;

beforeAll(async () => {
  registry = await startRegistry();
  engine = await startSecondEngine({ bridge: "dbk2", address: "10.213.2.1/24" });
  await engine.buildBusyboxImage();
}, 120_000);

afterAll(async () => {
  await engine?.stop();
  await registry?.stop();
});

/** dockbuild against the test's engine, with the docker backend; its output is shown when it fails. */
async function dockbuild(cwd: string, args: string[]): Promise<DockbuildRun> {
  const run = await runDockbuild(["--backend", "docker", ...args], { cwd, env: engine.env });
  expect(run.all, "dockbuild crashed").not.toMatch(/internal error/);
  expect(run.exitCode, tail(run)).toBe(0);
  return run;
}

interface Finish {
  service: string;
  status: string;
  steps: number;
  cachedSteps: number;
}

/** The `finish` event of each job of a `--progress json` run, by service. */
function finishes(run: DockbuildRun): Record<string, Finish> {
  const out: Record<string, Finish> = {};
  for (const line of run.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const event: unknown = JSON.parse(line);
    if (typeof event !== "object" || event === null || !("event" in event) || event.event !== "finish")
      continue;
    const { service, status, steps, cachedSteps } = event as Record<string, unknown>;
    if (
      typeof service !== "string" ||
      typeof status !== "string" ||
      typeof steps !== "number" ||
      typeof cachedSteps !== "number"
    ) {
      throw new Error(`unexpected finish event: ${line}`);
    }
    out[service] = { service, status, steps, cachedSteps };
  }
  return out;
}

/**
 * The last lines a run printed, for a failure message. (Steps are counted as BuildKit numbers them: the FROM
 * of a local image is step 1 and is resolved, never "CACHED"; every other step of a cache hit is.)
 */
function tail(run: DockbuildRun): string {
  return run.all.split("\n").slice(-40).join("\n");
}

/** What a fresh CI machine has: no build cache, none of the project's images. */
async function forgetEverything(images: string[]): Promise<void> {
  await engine.docker(["builder", "prune", "--all", "--force"]);
  await engine.tryDocker(["rmi", "--force", ...images]);
  for (const image of images) {
    expect(
      (await engine.tryDocker(["image", "inspect", image])).exitCode,
      `${image} is still there`,
    ).not.toBe(0);
  }
  expect(await engine.docker(["system", "df", "--format", "{{.Type}} {{.TotalCount}}"])).toContain(
    "Build Cache 0",
  );
}

const catIn = (image: string, file: string) => engine.docker(["run", "--rm", image, "cat", file]);

describe("inline layer cache through a registry, docker backend", () => {
  test("--cache-type inline --push: after the engine forgets everything, every step comes from the registry", async () => {
    const repo = `${registry.host}/acme-${RUN}/app`;
    const message = `hello from ${RUN}`;
    const project = await makeTempProject({
      "docker-compose.yml": [
        "services:",
        "  app:",
        `    image: ${repo}:ci`,
        "    build:",
        "      context: ./app",
        `      tags: ["${repo}:v1"]`,
        "",
      ].join("\n"),
      // A RUN whose output differs each time it runs: an equal /stamp later proves it did not run again.
      "app/Dockerfile": [
        `FROM ${BUSYBOX_IMAGE}`,
        "RUN cat /proc/sys/kernel/random/uuid > /stamp",
        "COPY message.txt /message.txt",
        "RUN wc -c < /message.txt > /size",
        "",
      ].join("\n"),
      "app/message.txt": message,
    });

    const first = await dockbuild(project, ["--cache-type", "inline", "--push", "--progress", "json"]);
    expect(finishes(first).app?.status).toBe("built");
    expect(await registry.tags(`acme-${RUN}/app`)).toEqual(["ci", "v1"]);
    const stamp = await catIn(`${repo}:ci`, "/stamp");
    expect(stamp).toMatch(/^[0-9a-f-]{36}$/);

    await forgetEverything([`${repo}:ci`, `${repo}:v1`]);

    const again = await dockbuild(project, ["--cache-type", "inline", "--progress", "json"]);
    expect(again.all).toContain(`importing cache manifest from ${repo}:ci`);
    const app = finishes(again).app;
    expect(app?.status).toBe("built");
    expect(app?.steps).toBe(4);
    expect(app?.cachedSteps, tail(again)).toBe(3);
    expect(await catIn(`${repo}:ci`, "/stamp")).toBe(stamp);
    expect(await catIn(`${repo}:ci`, "/message.txt")).toBe(message);
    expect((await catIn(`${repo}:v1`, "/size")).trim()).toBe(String(message.length));
  });

  test("a matrix job reuses an earlier job's pushed image instead of building it from nothing", async () => {
    const prefix = `${registry.host}/acme-${RUN}`;
    const project = await makeTempProject({
      "docker-compose.yml": [
        "services:",
        "  base:",
        `    image: ${prefix}/base:ci`,
        "    build: ./base",
        "  api:",
        `    image: ${prefix}/api:ci`,
        "    build: ./api",
        "",
      ].join("\n"),
      "dockbuild.config.json": JSON.stringify({ cache: { type: "inline" } }),
      // Each time it runs, base's RUN appends a new line: one line in api's image means it ran once, in job 1.
      "base/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN cat /proc/sys/kernel/random/uuid >> /stamps\n`,
      "api/Dockerfile": `FROM ${prefix}/base:ci\nCOPY api.txt /api.txt\n`,
      "api/api.txt": "api",
    });

    // Job 1 of the matrix (wave 0): base, pushed.
    await dockbuild(project, ["base", "--push"]);
    const stamps = await catIn(`${prefix}/base:ci`, "/stamps");
    expect(stamps.split("\n")).toHaveLength(1);
    expect(await registry.tags(`acme-${RUN}/base`)).toEqual(["ci"]);

    // Job 2 (wave 1) runs on another machine: nothing of job 1 is there but the registry.
    await forgetEverything([`${prefix}/base:ci`]);
    const job2 = await dockbuild(project, ["api", "--push", "--progress", "json"]);
    const result = finishes(job2);
    expect(result.base?.status).toBe("built");
    expect([result.base?.steps, result.base?.cachedSteps], tail(job2)).toEqual([2, 1]);
    expect(result.api?.status).toBe("built");
    expect(await catIn(`${prefix}/api:ci`, "/stamps")).toBe(stamps);
    expect(await catIn(`${prefix}/api:ci`, "/api.txt")).toBe("api");
    expect(await registry.tags(`acme-${RUN}/api`)).toEqual(["ci"]);
  });

  test("inline with --cache-ref: images with local names carry their cache through <ref>:<service>, pushed without --push", async () => {
    const image = `dockbuild-cache-e2e-${RUN}/tool:dev`;
    const ref = `${registry.host}/acme-${RUN}/cache`;
    const project = await makeTempProject({
      "docker-compose.yml": ["services:", "  tool:", `    image: ${image}`, "    build: ./tool", ""].join(
        "\n",
      ),
      "tool/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN cat /proc/sys/kernel/random/uuid > /stamp\n`,
    });
    const args = ["--cache-type", "inline", "--cache-ref", ref, "--progress", "json"];

    await dockbuild(project, args);
    expect(await registry.tags(`acme-${RUN}/cache`)).toEqual(["tool"]);
    const stamp = await catIn(image, "/stamp");

    await forgetEverything([image, `${ref}:tool`]);
    const again = await dockbuild(project, args);
    const tool = finishes(again).tool;
    expect([tool?.steps, tool?.cachedSteps], tail(again)).toEqual([2, 1]);
    expect(await catIn(image, "/stamp")).toBe(stamp);
  });
});
