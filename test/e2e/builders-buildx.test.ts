import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineOfAddress, MAIN_ENGINE, startFleet, type Fleet } from "./helpers/fleet.js";
import {
  BUSYBOX_IMAGE,
  docker,
  dockerClient,
  makeTempProject,
  readFileInImage,
  runDockbuild,
  tryDocker,
} from "./helpers/index.js";
import { nonce, parseEvents, readMetadata } from "./helpers/extra.js";
import type { SecondEngine } from "./helpers/second-engine.js";

// A `buildx:NAME` builder: a buildx builder of the docker driver on an engine started beside the machine's own
// (its Docker context, in a DOCKER_CONFIG of the test's own), next to a `docker:` builder on the machine's
// engine, handing images over through a registry. It needs a Docker client with the buildx plugin: the
// client's own, or the one in DOCKBUILD_BUILDX_CONFIG (a DOCKER_CONFIG folder whose cli-plugins holds
// docker-buildx). Where there is none the test is skipped and says why.

const RUN = nonce();
const PREFIX = `dbt-buildx-${RUN}`;
const pluginConfig = process.env.DOCKBUILD_BUILDX_CONFIG;

async function buildxAnswers(config: string | undefined): Promise<string | undefined> {
  const probe = await execa(dockerClient(), ["buildx", "version"], {
    env: config !== undefined ? { DOCKER_CONFIG: config } : {},
    reject: false,
    stdin: "ignore",
  });
  return probe.exitCode === 0 ? probe.stdout.trim() : undefined;
}

const found = await buildxAnswers(pluginConfig);
const skipReason =
  found === undefined
    ? `no buildx plugin: ${dockerClient()} buildx version fails${pluginConfig !== undefined ? ` with DOCKER_CONFIG=${pluginConfig}` : ""}; set DOCKBUILD_BUILDX_CONFIG to a DOCKER_CONFIG folder whose cli-plugins holds docker-buildx`
    : undefined;
if (skipReason !== undefined) console.log(`builders-buildx: skipped, ${skipReason}`);

let fleet: Fleet;
let engine: SecondEngine;
let config: string;
const context = `dbt-bx-${RUN}`;

describe.skipIf(skipReason !== undefined)("a buildx builder among several builders", () => {
  beforeAll(async () => {
    fleet = await startFleet(["dbk8"]);
    engine = fleet.engines[0] as SecondEngine;
    // A DOCKER_CONFIG of this test's own: the context it creates touches nobody else's.
    config = await mkdtemp(path.join(os.tmpdir(), "dockbuild-buildx-config-"));
    if (pluginConfig !== undefined) await cp(pluginConfig, config, { recursive: true });
    const created = await execa(
      dockerClient(),
      ["context", "create", context, "--docker", `host=${engine.host}`],
      { env: { DOCKER_CONFIG: config }, reject: false, stdin: "ignore" },
    );
    if (created.exitCode !== 0) throw new Error(`docker context create failed: ${created.stderr}`);
  }, 300_000);

  afterAll(async () => {
    await fleet?.stop();
    if (config !== undefined) await rm(config, { recursive: true, force: true });
    const listing = await docker(["images", "--format", "{{.Repository}} {{.ID}}"]);
    const ids = listing
      .split("\n")
      .filter((line) => line.startsWith(`${PREFIX}/`) || line.includes(`/${PREFIX}/`))
      .map((line) => line.split(" ")[1] as string);
    if (ids.length > 0) await tryDocker(["rmi", "--force", ...new Set(ids)]);
  }, 300_000);

  it(`builds on buildx:NAME, reading its upstream image from the registry by digest (${found ?? ""})`, async () => {
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "services:",
          "  base:",
          `    image: ${PREFIX}/base:dev`,
          "    build: ./base",
          "    x-dockbuild: { builder: main }",
          "  app:",
          `    image: ${PREFIX}/app:dev`,
          "    build: ./app",
          "    x-dockbuild: { builder: bx }",
          "",
        ].join("\n"),
        "base/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "base ${RUN}" > /base.txt\n`,
        "app/Dockerfile": [
          `FROM ${PREFIX}/base:dev`,
          "RUN ip -4 addr show eth0 | sed -n 's/.*inet \\([0-9.]*\\).*/\\1/p' > /app-ip.txt",
          "",
        ].join("\n"),
        ".dockbuildrc.yml": [
          "builders:",
          "  - name: main",
          `    endpoint: ${MAIN_ENGINE}`,
          "  - name: bx",
          `    endpoint: buildx:${context}`,
          `registry: ${fleet.registry.host}/${PREFIX}`,
          "",
        ].join("\n"),
      },
      { name: "buildx" },
    );
    const run = await runDockbuild(
      ["--progress", "json", "--metadata-file", path.join(dir, "metadata.json")],
      { cwd: dir, env: { DOCKER_CONFIG: config } },
    );
    expect(run.exitCode, run.all.split("\n").slice(-40).join("\n")).toBe(0);
    const metadata = await readMetadata(path.join(dir, "metadata.json"));
    expect(metadata.base).toMatchObject({ status: "built", builder: "main" });
    expect(metadata.app).toMatchObject({ status: "built", builder: "bx" });
    // buildx ran it on the engine behind the context: its RUN step had an address on that engine's bridge.
    const ip = (await readFileInImage(`${PREFIX}/app:dev`, "/app-ip.txt")).trim();
    expect(engineOfAddress(ip, { dbk8: "bx", main: "main" })).toBe("bx");
    expect(await readFileInImage(`${PREFIX}/app:dev`, "/base.txt")).toBe(`base ${RUN}\n`);
    const start = parseEvents(run.stdout).find((e) => e.event === "start" && e.service === "app");
    expect(start).toMatchObject({ builder: "bx" });
    const finish = parseEvents(run.stdout).find(
      (e) => e.event === "finish" && e.service === "app",
    ) as unknown as {
      handOffs?: Record<string, string>;
      command?: string;
    };
    expect(finish.handOffs?.[`${PREFIX}/base:dev`]).toMatch(
      new RegExp(`^${fleet.registry.host}/${PREFIX}/base:ih-[0-9a-f]{64}@sha256:[0-9a-f]{64}$`),
    );
  });
});
