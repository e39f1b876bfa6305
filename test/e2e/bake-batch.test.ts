import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  BUSYBOX_IMAGE,
  imageExists,
  makeTempProject,
  readFileInImage,
  removeImages,
  runDockbuild,
  settle,
} from "./helpers/index.js";
import {
  nonce,
  processesMatching,
  readMetadata,
  startDockbuildInOwnGroup,
  waitForOutput,
  waitUntil,
} from "./helpers/extra.js";

// Builds started together on the buildx docker driver run as one `buildx bake`: each service still gets its own
// lines, its own outcome and error, keep-going and Ctrl-C behave as with one build per service. This needs a
// buildx plugin, which the machines of the CI (Docker 20.10 without buildx) do not have: there these tests are
// skipped, with the reason printed. The plugin is DOCKBUILD_E2E_BUILDX, else the first docker-buildx found in
// the cli-plugins folder of $DOCKBUILD_BUILDX_CONFIG (as for the buildx builder's test), $DOCKER_CONFIG or
// ~/.docker, or in the system's plugin folders.

const RUN = `dbe2e-bake-${nonce(3)}`;
afterAll(async () => {
  await removeImages(RUN);
});

function findPlugin(): string | undefined {
  const configs = [
    process.env.DOCKBUILD_BUILDX_CONFIG,
    process.env.DOCKER_CONFIG,
    path.join(os.homedir(), ".docker"),
  ].filter((d): d is string => d !== undefined);
  const candidates = [
    process.env.DOCKBUILD_E2E_BUILDX,
    ...configs.map((d) => path.join(d, "cli-plugins", "docker-buildx")),
    "/usr/local/lib/docker/cli-plugins/docker-buildx",
    "/usr/libexec/docker/cli-plugins/docker-buildx",
    "/usr/lib/docker/cli-plugins/docker-buildx",
  ];
  return candidates.find((c): c is string => c !== undefined && existsSync(c));
}

const PLUGIN = findPlugin();
if (PLUGIN === undefined)
  console.log(
    "bake-batch: skipped, no buildx plugin on this machine; set DOCKBUILD_BUILDX_CONFIG to a DOCKER_CONFIG folder whose cli-plugins holds docker-buildx",
  );

/**
 * A Docker config folder of this test's own whose buildx plugin records each call and runs the real one (its
 * argv[0] is the wrapper's path, so `ps` finds this test's plugin processes and no one else's).
 */
async function recordingPlugin(
  name: string,
): Promise<{ env: Record<string, string>; calls(): Promise<string[]>; path: string }> {
  const config = path.join(process.env.DOCKBUILD_E2E_TMP ?? os.tmpdir(), `buildx-${name}-${nonce(3)}`);
  const plugins = path.join(config, "cli-plugins");
  await mkdir(plugins, { recursive: true });
  const log = path.join(config, "calls.log");
  const wrapper = path.join(plugins, "docker-buildx");
  await writeFile(log, "");
  await writeFile(wrapper, `#!/bin/bash\nprintf '%s\\n' "$*" >> '${log}'\nexec -a "$0" '${PLUGIN}' "$@"\n`);
  await chmod(wrapper, 0o755);
  return {
    env: { DOCKER_CONFIG: config },
    path: wrapper,
    calls: async () =>
      (await readFile(log, "utf8"))
        .split("\n")
        .filter((l) => l !== "" && !l.startsWith("docker-cli-plugin-metadata")),
  };
}

/** `ok`, `ok2` and `bad` independent (started together), `dep` built FROM `bad`. */
async function failingProject(name: string) {
  const prefix = `${RUN}-${name}`;
  const stamp = nonce();
  const dir = await makeTempProject(
    {
      "docker-compose.yml": [
        "services:",
        ...["ok", "ok2", "bad", "dep"].flatMap((s) => [
          `  ${s}:`,
          `    image: ${prefix}/${s}`,
          `    build: ./${s}`,
        ]),
        "",
      ].join("\n"),
      "ok/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "ok ${stamp}" > /ok.txt\n`,
      "ok2/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "ok2 ${stamp}" > /ok2.txt\n`,
      "bad/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN sleep 1 && echo "broken-${stamp}" >&2 && exit 1\n`,
      "dep/Dockerfile": `FROM ${prefix}/bad\nRUN echo dep > /dep.txt\n`,
    },
    { name },
  );
  return { prefix, stamp, dir, metadataFile: path.join(dir, "metadata.json") };
}

describe.runIf(PLUGIN !== undefined)("builds started together on the buildx docker driver: one bake", () => {
  test("one bake for the services that start together; each gets its own lines and its own image", async () => {
    const plugin = await recordingPlugin("together");
    const prefix = `${RUN}-together`;
    const stamp = nonce();
    const services = ["one", "two", "three"];
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "services:",
          ...services.flatMap((s) => [`  ${s}:`, `    image: ${prefix}/${s}`, `    build: ./${s}`]),
          "",
        ].join("\n"),
        ...Object.fromEntries(
          services.map((s) => [
            `${s}/Dockerfile`,
            `FROM ${BUSYBOX_IMAGE}\nRUN echo "${s} ${stamp}" > /${s}.txt\n`,
          ]),
        ),
      },
      { name: "together" },
    );
    const run = await runDockbuild(["all", "--progress", "plain"], { cwd: dir, env: plugin.env });
    expect(run.exitCode, run.all).toBe(0);
    const bakes = (await plugin.calls()).filter((c) => c.startsWith("bake "));
    expect(bakes, (await plugin.calls()).join("\n")).toEqual([
      "bake -f - --progress=plain dockbuild-0 dockbuild-1 dockbuild-2",
    ]);
    expect((await plugin.calls()).filter((c) => c.startsWith("build "))).toEqual([]);
    for (const s of services) {
      expect(await readFileInImage(`${prefix}/${s}`, `/${s}.txt`)).toBe(`${s} ${stamp}\n`);
      // its own step, under its own name, written as a build of it alone writes it
      expect(run.stdout).toMatch(new RegExp(`^${s} +\\| #\\d+ \\[2/2\\] RUN echo "${s} ${stamp}"`, "m"));
      for (const other of services.filter((o) => o !== s)) {
        expect(run.stdout).not.toMatch(new RegExp(`^${s} +\\| .*RUN echo "${other} ${stamp}"`, "m"));
      }
      expect(run.stdout).toMatch(new RegExp(`^${s} +\\| built in `, "m"));
    }
  });

  test("--keep-going: the failure is the failing service's own, the others are built, its dependent skipped", async () => {
    const plugin = await recordingPlugin("keepgoing");
    const { prefix, stamp, dir, metadataFile } = await failingProject("bkeep");
    const run = await runDockbuild(
      ["all", "--keep-going", "--progress", "plain", "--metadata-file", metadataFile],
      {
        cwd: dir,
        env: plugin.env,
      },
    );
    expect(run.exitCode, run.all).toBe(1);
    const metadata = await readMetadata(metadataFile);
    expect(metadata).toMatchObject({
      ok: { status: "built" },
      ok2: { status: "built" },
      bad: { status: "failed" },
      dep: { status: "skipped", reason: expect.stringContaining("bad") },
    });
    expect(metadata.bad?.error).toEqual(expect.arrayContaining([`broken-${stamp}`]));
    expect(JSON.stringify(metadata.ok)).not.toContain("broken");
    expect(run.stderr).toMatch(/^bad failed\n {2}\$ .*docker-buildx build .*bad/m);
    expect(run.stderr).toMatch(/^dockbuild: build failed: bad$/m);
    expect(await readFileInImage(`${prefix}/ok`, "/ok.txt")).toBe(`ok ${stamp}\n`);
    expect(await readFileInImage(`${prefix}/ok2`, "/ok2.txt")).toBe(`ok2 ${stamp}\n`);
    for (const s of ["bad", "dep"]) expect(await imageExists(`${prefix}/${s}`), s).toBe(false);
    // the bake of the three, then each build it did not finish on its own, with its own error
    // (detection asks the plugin its version and builder first)
    const calls = (await plugin.calls()).filter((c) => !/^(buildx )?(version|inspect)\b/.test(c));
    expect(calls[0]).toBe("bake -f - --progress=plain dockbuild-0 dockbuild-1 dockbuild-2");
    expect(calls.filter((c) => c.startsWith("build ") && c.includes(`${prefix}/bad`))).toHaveLength(1);
  });

  test("fail-fast: exit 1, the failing service's error, nothing built on it", async () => {
    const plugin = await recordingPlugin("failfast");
    const { prefix, stamp, dir, metadataFile } = await failingProject("bfast");
    const run = await runDockbuild(["all", "--progress", "plain", "--metadata-file", metadataFile], {
      cwd: dir,
      env: plugin.env,
    });
    expect(run.exitCode, run.all).toBe(1);
    const metadata = await readMetadata(metadataFile);
    expect(metadata.bad?.status).toBe("failed");
    expect(metadata.bad?.error).toEqual(expect.arrayContaining([`broken-${stamp}`]));
    expect(metadata.dep?.status).toMatch(/^(cancelled|skipped)$/);
    for (const s of ["ok", "ok2"]) expect(metadata[s]?.status, s).toMatch(/^(built|cancelled)$/);
    for (const s of ["bad", "dep"]) expect(await imageExists(`${prefix}/${s}`), s).toBe(false);
  });

  test("Ctrl-C in the middle of a bake: exit 130, the bake and the engine's steps stopped, no image", async () => {
    const plugin = await recordingPlugin("interrupt");
    const prefix = `${RUN}-interrupt`;
    const stamp = nonce();
    const sleeper = (s: string) =>
      `FROM ${BUSYBOX_IMAGE}\nRUN echo "${s}-sleeps-""${stamp}" && sleep 60 && echo "${s}-woke-${stamp}"\n`;
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "services:",
          ...["one", "two"].flatMap((s) => [`  ${s}:`, `    image: ${prefix}/${s}`, `    build: ./${s}`]),
          "",
        ].join("\n"),
        "one/Dockerfile": sleeper("one"),
        "two/Dockerfile": sleeper("two"),
      },
      { name: "interrupt" },
    );
    const metadataFile = path.join(dir, "metadata.json");
    const child = startDockbuildInOwnGroup(["all", "--progress", "plain", "--metadata-file", metadataFile], {
      cwd: dir,
      env: plugin.env,
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error("dockbuild did not start");
    let ended = false;
    try {
      // both steps started, as each service's own lines say; one bake prints one step's output at a time, so
      // the other's output may wait for the first to end: the engine's processes say that both run
      const started = (name: string) => `^${name} +\\| #\\d+ \\[2/2\\] RUN echo "${name}-sleeps-`;
      await waitForOutput(
        child,
        new RegExp(
          `${started("one")}[\\s\\S]*${started("two")}|${started("two")}[\\s\\S]*${started("one")}`,
          "m",
        ),
        60_000,
      );
      expect(
        await waitUntil(async () => (await processesMatching(`sleeps-""${stamp}`)).length >= 2, 30_000),
      ).toBe(true);
      expect(await processesMatching(`${plugin.path} bake`)).toHaveLength(1);
      process.kill(-pid, "SIGINT");
      const run = await settle(child);
      ended = true;
      expect([run.exitCode, run.signal], run.all).toEqual([130, undefined]);
      expect(await readMetadata(metadataFile)).toMatchObject({
        one: { status: "cancelled" },
        two: { status: "cancelled" },
      });
      expect(await waitUntil(async () => (await processesMatching(plugin.path)).length === 0, 5_000)).toBe(
        true,
      );
      expect(await waitUntil(async () => (await processesMatching(stamp)).length === 0, 10_000)).toBe(true);
      for (const s of ["one", "two"]) expect(await imageExists(`${prefix}/${s}`), s).toBe(false);
    } finally {
      if (!ended) child.kill("SIGKILL");
    }
  });
});
