import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rendezvousBuilder } from "../../src/place/index.js";
import { engineOfAddress, MAIN_ENGINE, mostAtOnce, startFleet, type Fleet } from "./helpers/fleet.js";
import {
  BUSYBOX_IMAGE,
  docker,
  imageId,
  makeTempProject,
  readFileInImage,
  runDockbuild,
  tryDocker,
  type DockbuildRun,
} from "./helpers/index.js";
import { settle, startDockbuild } from "./helpers/dockbuild.js";
import {
  nonce,
  parseEvents,
  readMetadata,
  recordingDocker,
  waitForOutput,
  type ProgressEvent,
} from "./helpers/extra.js";
import type { SecondEngine } from "./helpers/second-engine.js";

// Several builders on one machine, real parts: the machine's own engine (b1) and two engines started beside
// it on bridges of their own (dbk5 → b2, dbk6 → b3), with Debian's docker-registry between them. Every build
// writes, from inside its RUN step, the address its container had (which engine ran it) and when the step
// ran: the engines' own view, checked against what dockbuild reports.

const RUN = nonce();
const PREFIX = `dbt-builders-${RUN}`;
const INPUT_HASH = "dev.dockbuild.input-hash";
let fleet: Fleet;
let e2: SecondEngine;
let e3: SecondEngine;
/** Which builder each engine (by its bridge) is in these tests. */
const NAMES = { main: "b1", dbk5: "b2", dbk6: "b3" };

beforeAll(async () => {
  fleet = await startFleet(["dbk5", "dbk6"]);
  [e2, e3] = fleet.engines as [SecondEngine, SecondEngine];
}, 300_000);

afterAll(async () => {
  await fleet?.stop();
  // Everything these tests left in the machine's own engine: their images and what was pulled by digest.
  const listing = await docker([
    "images",
    "--digests",
    "--format",
    "{{.Repository}} {{.Tag}} {{.Digest}} {{.ID}}",
  ]);
  const ids = listing
    .split("\n")
    .filter((line) => line.startsWith(`${PREFIX}/`) || line.includes(`/${PREFIX}/`))
    .map((line) => line.split(" ")[3] as string);
  if (ids.length > 0) await tryDocker(["rmi", "--force", ...new Set(ids)]);
}, 300_000);

interface Service {
  name: string;
  /** `base` (the project's own base image) or the busybox image. */
  from?: "base";
  /** Seconds the RUN step waits. */
  sleep?: number;
  /** `x-dockbuild` keys. */
  ask?: string;
  /** A RUN step that fails. */
  fails?: boolean;
}

/** A project: `base` (if any service builds on it) and the services, each recording where and when it ran. */
async function project(services: Service[], builders: string, registry = true): Promise<string> {
  const files: Record<string, string> = {};
  const compose = ["services:"];
  for (const service of services) {
    const from = service.from === "base" ? `${PREFIX}/base:dev` : BUSYBOX_IMAGE;
    const record = [
      "s=$(cut -d' ' -f1 /proc/uptime)",
      `sleep ${service.sleep ?? 0}`,
      "e=$(cut -d' ' -f1 /proc/uptime)",
      "ip=$(ip -4 addr show eth0 | sed -n 's/.*inet \\([0-9.]*\\).*/\\1/p')",
      `echo "$ip $s $e ${RUN}" > /rec-${service.name}.txt`,
    ].join("; ");
    files[`${service.name}/Dockerfile`] = [
      `FROM ${from}`,
      service.name === "base" ? `RUN echo "base ${RUN}" > /base.txt` : "",
      service.fails ? "RUN echo failing on purpose; exit 3" : `RUN ${record}`,
      "",
    ].join("\n");
    compose.push(
      `  ${service.name}:`,
      `    image: ${PREFIX}/${service.name}:dev`,
      `    build: ./${service.name}`,
      ...(service.ask ? [`    x-dockbuild: ${service.ask}`] : []),
    );
  }
  files["docker-compose.yml"] = `${compose.join("\n")}\n`;
  files[".dockbuildrc.yml"] =
    `builders:\n${builders}${registry ? `registry: ${fleet.registry.host}/${PREFIX}\n` : ""}`;
  return makeTempProject(files, { name: "builders" });
}

/** A `builders:` entry. */
function builder(name: string, endpoint: string, slots: number, extra = ""): string {
  return `  - name: ${name}\n    endpoint: ${endpoint}\n    slots: ${slots}\n${extra}`;
}
const b1 = (slots: number) => builder("b1", MAIN_ENGINE, slots);
const b2 = (slots: number) => builder("b2", `docker:${e2.host}`, slots);
const b3 = (slots: number) => builder("b3", `docker:${e3.host}`, slots);

async function dockbuild(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<DockbuildRun> {
  return runDockbuild(["--progress", "json", "--metadata-file", path.join(dir, "metadata.json"), ...args], {
    cwd: dir,
    env,
  });
}

/** What a service's RUN step recorded: the engine that ran it (as a builder name), and when. */
async function record(service: string, ref = `${PREFIX}/${service}:dev`) {
  const [ip = "", start = "0", end = "0", run = ""] = (await readFileInImage(ref, `/rec-${service}.txt`))
    .trim()
    .split(" ");
  expect(run).toBe(RUN);
  return { engine: engineOfAddress(ip, NAMES), start: Number(start), end: Number(end) };
}

function finishOf(events: ProgressEvent[], service: string): Record<string, unknown> {
  const found = events.find((e) => e.event === "finish" && e.service === service);
  if (found === undefined) throw new Error(`no finish event for ${service}`);
  return found as unknown as Record<string, unknown>;
}

function explain(run: DockbuildRun): string {
  return run.all.split("\n").slice(-60).join("\n");
}

describe("several builders and a registry", () => {
  let chain: string;

  it("a FROM edge across two engines is read by digest; builds follow their upstream image", async () => {
    chain = await project(
      [
        { name: "base", ask: "{ builder: b2 }" },
        { name: "app1", from: "base", sleep: 1 },
        { name: "app2", from: "base", sleep: 1 },
        { name: "cross", from: "base", ask: "{ builder: b1 }" },
      ],
      `${b1(2)}${b2(2)}`,
    );
    // base is only built on: it is not wanted in the machine's engine, so cross (there) must read it from the registry
    const run = await dockbuild(chain, ["app1", "app2", "cross"]);
    expect(run.exitCode, explain(run)).toBe(0);
    const metadata = await readMetadata(path.join(chain, "metadata.json"));
    const where = Object.fromEntries(
      Object.entries(metadata).map(([s, m]) => [s, (m as { builder?: unknown }).builder]),
    );
    expect(where).toEqual({ base: "b2", app1: "b2", app2: "b2", cross: "b1" });
    // The engines' own view: every image is in the machine's engine now, each RUN recorded where it ran.
    for (const service of ["app1", "app2", "cross"])
      expect((await record(service)).engine).toBe(where[service]);

    // base went through the registry under its content-addressed tag, and cross read it there by digest.
    const hash = (
      await e2.docker([
        "image",
        "inspect",
        "--format",
        `{{index .Config.Labels "${INPUT_HASH}"}}`,
        `${PREFIX}/base:dev`,
      ])
    ).trim();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await fleet.registry.tags(`${PREFIX}/base`)).toContain(`ih-${hash}`);
    const digest = await fleet.registry.digest(`${PREFIX}/base`, `ih-${hash}`);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const events = parseEvents(run.stdout);
    expect(finishOf(events, "cross").handOffs).toEqual({
      [`${PREFIX}/base:dev`]: `${fleet.registry.host}/${PREFIX}/base:ih-${hash}@${digest}`,
    });
    expect(await readFileInImage(`${PREFIX}/cross:dev`, "/base.txt")).toBe(`base ${RUN}\n`);
    // On the builder that built base nothing was pulled: its dependents read it from the engine's own store.
    expect(finishOf(events, "app1").handOffs).toBeUndefined();
    expect(finishOf(events, "app2").handOffs).toBeUndefined();
    expect(metadata.cross).toMatchObject({
      registryImage: expect.stringMatching(
        new RegExp(`^${fleet.registry.host}/${PREFIX}/cross:ih-[0-9a-f]{64}@sha256:`),
      ),
    });
  });

  it("`matrix` leaves out jobs whose result the registry holds; the others read it from there", async () => {
    const all = await runDockbuild(["matrix", "--format", "json"], { cwd: chain });
    expect(all.exitCode, explain(all)).toBe(0);
    expect((JSON.parse(all.stdout) as { jobs: unknown[] }).jobs).toEqual([]);

    await writeFile(path.join(chain, "app1", "extra.txt"), "a change\n");
    const one = await runDockbuild(["matrix", "--format", "json"], { cwd: chain });
    expect(one.exitCode, explain(one)).toBe(0);
    expect((JSON.parse(one.stdout) as { jobs: unknown[] }).jobs).toEqual([
      {
        service: "app1",
        services: ["app1"],
        args: ["build", "app1"],
        tags: [`${PREFIX}/app1:dev`],
        target: null,
        wave: 1,
        dependsOn: [],
        upstreamFromRegistry: ["base"],
      },
    ]);
  });

  it("a fresh engine skips everything through the registry and pulls the final images", async () => {
    const config = await readFile(path.join(chain, ".dockbuildrc.yml"), "utf8");
    await writeFile(path.join(chain, ".dockbuildrc.yml"), config.replace("registry:", `${b3(2)}registry:`));
    await rm(path.join(chain, "app1", "extra.txt"));
    const recorder = await recordingDocker(path.join(chain, ".recorder"));
    // The engine the client reaches is the fresh one: that is where the final images must land.
    const run = await dockbuild(chain, ["--builder", "b3"], { ...e3.env, DOCKBUILD_DOCKER: recorder.binary });
    expect(run.exitCode, explain(run)).toBe(0);
    const metadata = await readMetadata(path.join(chain, "metadata.json"));
    for (const service of ["base", "app1", "app2", "cross"]) {
      expect(metadata[service]).toMatchObject({ status: "up-to-date", builder: null });
      const ref = `${PREFIX}/${service}:dev`;
      const onFresh = (await e3.docker(["image", "inspect", "--format", "{{.Id}}", ref])).trim();
      // the very image built before: base on b2 (only built on, never pulled here), the others pulled here
      const built =
        service === "base"
          ? (await e2.docker(["image", "inspect", "--format", "{{.Id}}", ref])).trim()
          : await imageId(ref);
      expect(onFresh).toBe(built);
    }
    const calls = await recorder.calls();
    expect(calls.filter((c) => /(^| )build( |$)/.test(c))).toEqual([]);
    expect(calls.filter((c) => / pull /.test(` ${c} `))).toHaveLength(4);
  });

  it("placement by the rendezvous hash of each context, as the engines saw it", async () => {
    const names = ["h1", "h2", "h3", "h4", "h5", "h6"];
    const dir = await project(
      names.map((name) => ({ name })),
      `${b1(8)}${b2(8)}`,
    );
    const run = await dockbuild(dir, []);
    expect(run.exitCode, explain(run)).toBe(0);
    const metadata = await readMetadata(path.join(dir, "metadata.json"));
    const slots = [
      { name: "b1", slots: 8, platforms: [], labels: [] },
      { name: "b2", slots: 8, platforms: [], labels: [] },
    ];
    const expected = Object.fromEntries(names.map((n) => [n, rendezvousBuilder(n, slots)?.name]));
    expect(new Set(Object.values(expected)).size).toBe(2);
    for (const name of names) {
      expect((metadata[name] as { builder?: unknown }).builder).toBe(expected[name]);
      expect((await record(name)).engine).toBe(expected[name]);
    }
  });

  it("never runs more builds on an engine than its builder's slots", async () => {
    const names = Array.from({ length: 9 }, (_, i) => `slot${i}`);
    const dir = await project(
      names.map((name) => ({ name, sleep: 3 })),
      `${b1(2)}${b2(1)}`,
    );
    const run = await dockbuild(dir, []);
    expect(run.exitCode, explain(run)).toBe(0);
    const metadata = await readMetadata(path.join(dir, "metadata.json"));
    const records = await Promise.all(names.map((name) => record(name)));
    names.forEach((name, i) =>
      expect(records[i]?.engine).toBe((metadata[name] as { builder?: unknown }).builder),
    );
    const intervals = (engine: string) =>
      records.filter((r) => r.engine === engine).map((r) => [r.start, r.end] as const);
    // At most the slots, and (nine builds of three seconds) exactly as many at the busiest moment.
    expect(mostAtOnce(intervals("b1"))).toBe(2);
    expect(mostAtOnce(intervals("b2"))).toBe(1);
  });

  it("a failing Dockerfile step is a build failure: not run again, its builder stays", async () => {
    const dir = await project(
      [
        { name: "bad", fails: true },
        { name: "good", ask: "{ builder: b2 }" },
        { name: "late", from: undefined, sleep: 2 },
      ],
      `${b1(1)}${b2(1)}`,
    );
    const run = await dockbuild(dir, ["--keep-going"]);
    expect(run.exitCode, explain(run)).toBe(1);
    const events = parseEvents(run.stdout);
    expect(events.filter((e) => e.event === "start" && e.service === "bad")).toHaveLength(1);
    expect(events.filter((e) => e.event === "warning" && /stopped answering/.test(e.message ?? ""))).toEqual(
      [],
    );
    const metadata = await readMetadata(path.join(dir, "metadata.json"));
    expect(metadata.bad).toMatchObject({ status: "failed" });
    expect(metadata.bad?.error?.join("\n")).toMatch(/exit code: 3/);
    expect(metadata.good).toMatchObject({ status: "built", builder: "b2" });
    expect(metadata.late).toMatchObject({ status: "built" });
  });

  it("an engine killed mid-run: its builds finish on the other, exit 0", async () => {
    const names = ["k1", "k2", "k3", "k4", "k5", "k6"];
    const dir = await project(
      names.map((name) => ({ name, sleep: 8 })),
      `${b1(3)}${b2(3)}`,
    );
    const child = startDockbuild(["--progress", "json", "--metadata-file", path.join(dir, "metadata.json")], {
      cwd: dir,
    });
    await waitForOutput(child, /"event":"start"[^\n]*"builder":"b2"/, 120_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    e2.kill();
    const run = await settle(child);
    expect(run.exitCode, explain(run)).toBe(0);
    const events = parseEvents(run.stdout);
    expect(
      events.some((e) => e.event === "warning" && /builder b2 stopped answering/.test(e.message ?? "")),
    ).toBe(true);
    const metadata = await readMetadata(path.join(dir, "metadata.json"));
    const movedAway = names.filter((n) =>
      events.some(
        (e) => e.event === "start" && e.service === n && (e as { builder?: string }).builder === "b2",
      ),
    );
    expect(movedAway.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(metadata[name]).toMatchObject({ status: "built", builder: "b1" });
      expect((await record(name)).engine).toBe("b1");
    }
    for (const name of movedAway) expect(metadata[name]).toMatchObject({ retriedFrom: "b2" });
  });
});
