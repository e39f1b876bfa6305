import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mountFolder } from "../../src/cache/mount-plan.js";
import {
  BUSYBOX_IMAGE,
  makeTempProject,
  removeImages,
  runDockbuild,
  type DockbuildRun,
} from "./helpers/index.js";
import { startSecondEngine, type SecondEngine } from "./helpers/second-engine.js";

// Cache-mount contents moved between two engines: written by a build on the machine's engine, exported to a
// folder, imported into a second engine that has never seen them, and found there by a build's RUN.

const RUN = randomBytes(3).toString("hex");
const PREFIX = `dockbuild-cache-mounts-e2e-${RUN}`;
/** The mount's id, unique per run so that no earlier run's contents can make a test pass. */
const MOUNT_ID = `dockbuild-e2e-${RUN}`;
const MARKER = `marker ${RUN} ${Date.now()}`;
let engine: SecondEngine;
const folders: string[] = [];

beforeAll(async () => {
  engine = await startSecondEngine({ bridge: "dbk1", address: "10.213.0.1/24" });
  await engine.buildBusyboxImage();
}, 120_000);

afterAll(async () => {
  await engine?.stop();
  await removeImages(PREFIX);
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

function tail(run: DockbuildRun): string {
  return run.all.split("\n").slice(-40).join("\n");
}

/** dockbuild in the project; `engine2` points it at the second engine. Its output is shown when it fails. */
async function dockbuild(
  cwd: string,
  args: string[],
  options: { engine2?: boolean; env?: Record<string, string> } = {},
): Promise<DockbuildRun> {
  const run = await runDockbuild(["--backend", "docker", ...args], {
    cwd,
    env: { ...(options.engine2 ? engine.env : {}), ...options.env },
  });
  expect(run.all, "dockbuild crashed").not.toMatch(/internal error/);
  expect(run.exitCode, tail(run)).toBe(0);
  return run;
}

async function exportDir(): Promise<string> {
  const dir = await mkdtemp(path.join(process.env.DOCKBUILD_E2E_TMP ?? "/tmp", "cache-mounts-"));
  folders.push(dir);
  return path.join(dir, "mounts");
}

/**
 * `seeder` writes the marker into the mount; `reader` lists the mount and copies what it finds into its image
 * (`CHECK` changes the RUN's cache key, so each check really runs). Both use the same mount id: one mount.
 */
async function twoServiceProject(): Promise<string> {
  return makeTempProject({
    "docker-compose.yml": [
      "services:",
      "  seeder:",
      `    image: ${PREFIX}/seeder`,
      "    build:",
      "      context: ./seeder",
      "      args:",
      `        MARKER: "${MARKER}"`,
      "  reader:",
      `    image: ${PREFIX}/reader`,
      "    build:",
      "      context: ./reader",
      "      args:",
      "        CHECK: ${CHECK:-0}",
      "",
    ].join("\n"),
    "dockbuild.config.json": JSON.stringify({ cache: { mountHelperImage: BUSYBOX_IMAGE } }),
    "seeder/Dockerfile": [
      `FROM ${BUSYBOX_IMAGE}`,
      "ARG MARKER",
      `RUN --mount=type=cache,id=${MOUNT_ID},target=/cache,sharing=locked \\`,
      '    echo "$MARKER" > /cache/marker.txt && mkdir -p /cache/sub && echo nested > /cache/sub/nested.txt',
      "",
    ].join("\n"),
    "reader/Dockerfile": [
      `FROM ${BUSYBOX_IMAGE}`,
      "ARG CHECK",
      `RUN --mount=type=cache,id=${MOUNT_ID},target=/var/cache/thing \\`,
      '    echo "check $CHECK" && ls -laR /var/cache/thing && mkdir -p /found && cp -a /var/cache/thing/. /found/',
      "",
    ].join("\n"),
  });
}

describe("cache mounts between engines", () => {
  test("export from the machine's engine, import into a second engine, a build there finds the contents", async () => {
    const project = await twoServiceProject();
    const dir = await exportDir();

    await dockbuild(project, ["seeder"]);
    const exported = await dockbuild(project, ["cache", "export", dir]);
    const folder = mountFolder(MOUNT_ID);
    expect(exported.stdout).toContain(`exported 1 cache mount to ${dir}`);
    expect(await readFile(path.join(dir, folder, "marker.txt"), "utf8")).toBe(`${MARKER}\n`);
    expect(await readFile(path.join(dir, folder, "sub", "nested.txt"), "utf8")).toBe("nested\n");
    const manifest: unknown = JSON.parse(
      await readFile(path.join(dir, "dockbuild-cache-mounts.json"), "utf8"),
    );
    expect(manifest).toEqual({
      version: 1,
      exportedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      mounts: [
        {
          id: MOUNT_ID,
          target: "/cache",
          sharing: "locked",
          folder,
          services: ["seeder", "reader"],
          files: 2,
          bytes: MARKER.length + 1 + "nested\n".length,
        },
      ],
    });
    // Nothing but the mounts' folders and the manifest is left behind.
    expect((await readdir(dir)).sort()).toEqual([folder, "dockbuild-cache-mounts.json"].sort());

    // The second engine has never seen the mount: a build there finds it empty.
    await dockbuild(project, ["reader"], { engine2: true, env: { CHECK: "before" } });
    expect(await engine.docker(["run", "--rm", `${PREFIX}/reader`, "ls", "-A", "/found"])).toBe("");

    const imported = await dockbuild(project, ["cache", "import", dir, "reader"], { engine2: true });
    expect(imported.stdout).toContain(`imported 1 cache mount from ${dir}`);

    await dockbuild(project, ["reader"], { engine2: true, env: { CHECK: "after" } });
    expect(await engine.docker(["run", "--rm", `${PREFIX}/reader`, "cat", "/found/marker.txt"])).toBe(MARKER);
    expect(await engine.docker(["run", "--rm", `${PREFIX}/reader`, "cat", "/found/sub/nested.txt"])).toBe(
      "nested",
    );
  });

  test("--cache-mounts DIR on a build: seeded before, saved after", async () => {
    const id = `${MOUNT_ID}-counter`;
    const project = await makeTempProject({
      "docker-compose.yml": [
        "services:",
        "  counter:",
        `    image: ${PREFIX}/counter`,
        "    build:",
        "      context: .",
        "      args:",
        "        ROUND: ${ROUND:-0}",
        "",
      ].join("\n"),
      "dockbuild.config.json": JSON.stringify({ cache: { mountHelperImage: BUSYBOX_IMAGE } }),
      // Each run appends a line to the mount's file and keeps a copy of the file in the image.
      Dockerfile: [
        `FROM ${BUSYBOX_IMAGE}`,
        "ARG ROUND",
        `RUN --mount=type=cache,id=${id},target=/counter \\`,
        '    echo "round $ROUND" >> /counter/rounds.txt && cp /counter/rounds.txt /rounds.txt',
        "",
      ].join("\n"),
    });
    const dir = await exportDir();
    const saved = path.join(dir, mountFolder(id), "rounds.txt");
    const rounds = () => engine.docker(["run", "--rm", `${PREFIX}/counter`, "cat", "/rounds.txt"]);

    await dockbuild(project, ["--cache-mounts", dir], { engine2: true, env: { ROUND: "1" } });
    expect(await rounds()).toBe("round 1");
    expect(await readFile(saved, "utf8")).toBe("round 1\n");

    // The engine loses its cache mounts (a new CI machine); the folder brings them back before the build.
    await engine.docker(["builder", "prune", "--all", "--force"]);
    await dockbuild(project, ["--cache-mounts", dir], { engine2: true, env: { ROUND: "2" } });
    expect(await rounds()).toBe("round 1\nround 2");
    expect(await readFile(saved, "utf8")).toBe("round 1\nround 2\n");
  });
});
