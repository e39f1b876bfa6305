import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll, afterEach, beforeAll } from "vitest";
import { waitUntil } from "../e2e/helpers/extra.js";

// The built CLI (`node bin/dockbuild.js`) against fake Docker clients (test/fakes/): what the real engine cannot
// stage on demand. Each test file that uses it calls `fakeCli()` once, at its top level.

export const REPO = path.resolve(import.meta.dirname, "../..");
export const BIN = path.join(REPO, "bin", "dockbuild.js");
const FAKES = path.join(REPO, "test", "fakes");
export const DOCKER_20 = path.join(FAKES, "docker-20.sh");
export const DOCKER_28 = path.join(FAKES, "docker-28-no-buildx.sh");
export const VERSION_ERROR = path.join(FAKES, "docker-version-error.sh");
export const CLIENT_20_DIR = path.join(FAKES, "client20");

/** What the fake does with a service's build, by its image name: `fake-hang`, `fake-fail`, … (docker-20.sh). */
export type FakeService = "hang" | "fail" | "ok" | "dies";

/** A fixture project and the folder where the fake records its calls and pids. */
export interface Fixture {
  dir: string;
  state: string;
}

/** The helpers of one test file; its hooks clean up every fixture and every pid a fake reported. */
export interface FakeCli {
  project(services: FakeService[]): Fixture;
  start(fixture: Fixture, docker: string, args: string[], env?: Record<string, string>): ResultPromise;
  lines(fixture: Fixture, name: string): string[];
  /** The pids a fake wrote to `name` (its own and the step's it waits for), remembered for cleanup. */
  pids(fixture: Fixture, name: string): number[];
  waitForPids(fixture: Fixture, name: string): Promise<number[]>;
}

export function fakeCli(): FakeCli {
  const root = mkdtempSync(path.join(os.tmpdir(), "dockbuild-fake-engine-"));
  // Every pid a fake reported, killed after each test whatever dockbuild did, so that no test leaves one behind.
  const reported = new Set<number>();
  beforeAll(() => {
    if (!existsSync(path.join(REPO, "dist", "cli", "main.js"))) {
      throw new Error("these tests run the built CLI: run `pnpm build` first");
    }
    // A checkout may lose the executable bits.
    for (const fake of [DOCKER_20, DOCKER_28, VERSION_ERROR, path.join(CLIENT_20_DIR, "docker")])
      chmodSync(fake, 0o755);
  });
  afterEach(() => {
    for (const pid of reported) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone, as it should be
      }
    }
    reported.clear();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  let count = 0;
  const lines = (fixture: Fixture, name: string): string[] => {
    const file = path.join(fixture.state, name);
    return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
  };
  const pids = (fixture: Fixture, name: string): number[] => {
    const found = lines(fixture, name).flatMap((l) => l.split(" ").map(Number));
    for (const pid of found) reported.add(pid);
    return found;
  };
  return {
    project(services) {
      const dir = path.join(root, `p${++count}`);
      const state = path.join(dir, ".fake-state");
      mkdirSync(state, { recursive: true });
      const compose = ["services:"];
      for (const s of services) {
        compose.push(`  ${s}:`, `    image: fake-${s}`, `    build: ./${s}`);
        mkdirSync(path.join(dir, s));
        writeFileSync(path.join(dir, s, "Dockerfile"), `FROM dockbuild-test/busybox:latest\nRUN echo ${s}\n`);
      }
      writeFileSync(path.join(dir, "docker-compose.yml"), `${compose.join("\n")}\n`);
      return { dir, state };
    },
    start(fixture, docker, args, env = {}) {
      return execa(process.execPath, [BIN, ...args], {
        cwd: fixture.dir,
        env: {
          DOCKBUILD_DOCKER: docker,
          FAKE_DOCKER_STATE: fixture.state,
          NO_COLOR: "1",
          FORCE_COLOR: "0",
          ...env,
        },
        stdin: "ignore",
        all: true,
        reject: false,
        forceKillAfterDelay: 2_000,
        timeout: 18_000,
      });
    },
    lines,
    pids,
    async waitForPids(fixture, name) {
      const appeared = await waitUntil(() => pids(fixture, name).length > 0, 10_000, 50);
      if (!appeared)
        throw new Error(`the fake never wrote ${name}; calls:\n${lines(fixture, "calls").join("\n")}`);
      return pids(fixture, name);
    },
  };
}

/** Signal dockbuild's pid alone, as a CI runner does (execa's own kill would also SIGKILL it after a delay). */
export function sendSignal(child: ResultPromise, signal: NodeJS.Signals): void {
  if (child.pid === undefined) throw new Error("dockbuild did not start");
  process.kill(child.pid, signal);
}
