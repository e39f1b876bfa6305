import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { ResultPromise } from "execa";
import {
  BUSYBOX_IMAGE,
  imageExists,
  makeTempProject,
  removeImages,
  settle,
  startDockbuild,
} from "./helpers/index.js";
import {
  nonce,
  processesMatching,
  readMetadata,
  startDockbuildInOwnGroup,
  waitForOutput,
  waitUntil,
} from "./helpers/extra.js";

// Ctrl-C and SIGTERM in the middle of real engine builds: exit 130 promptly, every `docker build` client gone,
// and the engine no longer running the interrupted steps.

const RUN = `dbe2e-signals-${nonce(3)}`;
afterAll(async () => {
  await removeImages(RUN);
});

type Delivery =
  "to dockbuild's process group (a terminal's Ctrl-C)" | "to dockbuild's pid alone (a CI runner)";

/**
 * Two independent services whose RUN sleeps a minute, and one built FROM the first. Each step's shell command
 * holds the stamp (the commands after `sleep` keep the shell from exec'ing it), so `ps` finds what the engine
 * still runs for this project; the `docker build` clients are found by the project's image prefix in their argv.
 */
async function sleepyProject(name: string) {
  const prefix = `${RUN}-${name}`;
  const stamp = nonce();
  const sleeper = (service: string) =>
    `FROM ${BUSYBOX_IMAGE}\nRUN echo "${service}-sleeps-""${stamp}" && sleep 60 && echo "${service}-woke-${stamp}"\n`;
  const dir = await makeTempProject(
    {
      "docker-compose.yml": [
        "services:",
        ...["one", "two", "after"].flatMap((s) => [
          `  ${s}:`,
          `    image: ${prefix}/${s}`,
          `    build: ./${s}`,
        ]),
        "",
      ].join("\n"),
      "one/Dockerfile": sleeper("one"),
      "two/Dockerfile": sleeper("two"),
      "after/Dockerfile": `FROM ${prefix}/one\nRUN echo after\n`,
    },
    { name },
  );
  return { prefix, stamp, dir, metadataFile: path.join(dir, "metadata.json") };
}

async function interruptMidBuild(signal: "SIGINT" | "SIGTERM", delivery: Delivery, name: string) {
  const { prefix, stamp, dir, metadataFile } = await sleepyProject(name);
  const args = ["all", "-j", "2", "--progress", "plain", "--metadata-file", metadataFile];
  const inGroup = delivery.startsWith("to dockbuild's process group");
  const child: ResultPromise = inGroup
    ? startDockbuildInOwnGroup(args, { cwd: dir })
    : startDockbuild(args, { cwd: dir });
  const pid = child.pid;
  if (pid === undefined) throw new Error("dockbuild did not start");

  let ended = false;
  try {
    // Both RUN steps print their line only once the engine runs them (the step's header shows `""`).
    await waitForOutput(
      child,
      new RegExp(
        `one-sleeps-${stamp}[\\s\\S]*two-sleeps-${stamp}|two-sleeps-${stamp}[\\s\\S]*one-sleeps-${stamp}`,
      ),
      60_000,
    );
    // What is asserted gone below is there now: two docker clients and the engine's two sleeping steps.
    expect(await processesMatching(`-t ${prefix}/`)).toHaveLength(2);
    expect(await processesMatching(stamp)).toHaveLength(2);

    const sentAt = Date.now();
    process.kill(inGroup ? -pid : pid, signal);
    const run = await settle(child);
    ended = true;
    const tookMs = Date.now() - sentAt;

    expect([run.exitCode, run.signal], run.all).toEqual([130, undefined]);
    expect(tookMs, run.all).toBeLessThan(10_000);
    expect(run.stderr).toMatch(/\(interrupted\)$/m);
    expect(run.stderr).toMatch(/^dockbuild: interrupted: running builds were stopped$/m);
    expect(run.stderr).toMatch(/^one +- +cancelled\b/m);
    expect(run.stderr).toMatch(/^two +- +cancelled\b/m);
    expect(run.stderr).toMatch(/^after +- +cancelled\b/m);
    expect(await readMetadata(metadataFile)).toMatchObject({
      one: { status: "cancelled" },
      two: { status: "cancelled" },
      after: { status: "cancelled" },
    });

    // No docker client is left behind, and the engine has stopped the steps (none runs its minute out).
    expect(await processesMatching(`-t ${prefix}/`)).toEqual([]);
    const engineStopped = await waitUntil(async () => (await processesMatching(stamp)).length === 0, 5_000);
    expect(engineStopped, (await processesMatching(stamp)).join("\n")).toBe(true);
    for (const s of ["one", "two", "after"]) expect(await imageExists(`${prefix}/${s}`), s).toBe(false);
  } finally {
    if (!ended) child.kill("SIGKILL");
  }
}

describe("interrupting a build", () => {
  test("Ctrl-C in a terminal (SIGINT to the process group): exit 130, builds stopped, nothing left", async () => {
    await interruptMidBuild("SIGINT", "to dockbuild's process group (a terminal's Ctrl-C)", "intgroup");
  });

  test("SIGINT to dockbuild alone: exit 130, builds stopped, nothing left", async () => {
    await interruptMidBuild("SIGINT", "to dockbuild's pid alone (a CI runner)", "intpid");
  });

  test("SIGTERM to dockbuild alone: exit 130, builds stopped, nothing left", async () => {
    await interruptMidBuild("SIGTERM", "to dockbuild's pid alone (a CI runner)", "termpid");
  });
});
