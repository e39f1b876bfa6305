import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pushCommands, pushTags } from "../../src/backends/push.js";
import type { BuildJob } from "../../src/plan/types.js";
import type { JobOutcome } from "../../src/run/types.js";
import { pushJobImages } from "../../src/session/run-job.js";
import { job as planned } from "../backends/jobs.js";

/** A job that pushes its tags (as `--push` plans it). */
const job = (over: Partial<BuildJob>) => planned({ ...over, push: over.push ?? over.tags ?? [] });

/** An engine that pushes through the client given. */
const engineWith = (client: { dockerBinary: string }) => ({
  push: (j: BuildJob, events: { signal: AbortSignal; onLine(line: string): void }) =>
    pushTags(j, client, events),
});

describe("pushCommands", () => {
  test("one docker push per tag, through the backend's client", () => {
    expect(
      pushCommands(job({ tags: ["acme/api:dev", "127.0.0.1:5000/acme/api:1"] }), {
        dockerBinary: "/usr/bin/docker",
      }),
    ).toEqual([
      { tag: "acme/api:dev", file: "/usr/bin/docker", args: ["push", "acme/api:dev"] },
      {
        tag: "127.0.0.1:5000/acme/api:1",
        file: "/usr/bin/docker",
        args: ["push", "127.0.0.1:5000/acme/api:1"],
      },
    ]);
  });
  test("a build that loads no image pushes nothing", () => {
    expect(pushCommands(job({ load: false }), { dockerBinary: "docker" })).toEqual([]);
  });
});

describe("pushJobImages with a fake client", () => {
  let dir: string;
  let docker: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "dockbuild-push-"));
    docker = path.join(dir, "docker");
    // Records each call; refuses tags with "denied" in them the way a registry does; sleeps on "slow".
    await writeFile(
      docker,
      [
        "#!/bin/sh",
        `echo "$*" >> '${dir}/calls'`,
        'case "$2" in',
        '  *denied*) echo "The push refers to repository [$2]"; echo "denied: requested access to the resource is denied" >&2; exit 1 ;;',
        "  *slow*) sleep 30 ;;",
        "esac",
        'echo "$2: digest: sha256:0123 size: 528"',
        "",
      ].join("\n"),
    );
    await chmod(docker, 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const calls = async () =>
    (await readFile(path.join(dir, "calls"), "utf8").catch(() => "")).trim().split("\n").filter(Boolean);
  const context = (signal = new AbortController().signal) => {
    const lines: string[] = [];
    return { lines, signal, onLine: (l: string) => lines.push(l) };
  };
  const built: JobOutcome = { status: "built", imageId: "sha256:abc", steps: 3, cachedSteps: 1 };

  test("every tag is pushed after a build; the outcome is kept and the client's output logged", async () => {
    await rm(path.join(dir, "calls"), { force: true });
    const ctx = context();
    const outcome = await pushJobImages(
      job({ tags: ["r/a:1", "r/a:2"] }),
      built,
      engineWith({ dockerBinary: docker }),
      ctx,
    );
    expect(outcome).toEqual(built);
    expect(await calls()).toEqual(["push r/a:1", "push r/a:2"]);
    expect(ctx.lines).toEqual([
      "pushing r/a:1",
      "r/a:1: digest: sha256:0123 size: 528",
      "pushing r/a:2",
      "r/a:2: digest: sha256:0123 size: 528",
    ]);
  });

  test("an up-to-date image is pushed too; a failed or cancelled build is not", async () => {
    await rm(path.join(dir, "calls"), { force: true });
    const engine = engineWith({ dockerBinary: docker });
    expect(
      await pushJobImages(job({ tags: ["r/b:1"] }), { status: "up-to-date" }, engine, context()),
    ).toEqual({
      status: "up-to-date",
    });
    const failed: JobOutcome = { status: "failed", errorLines: ["boom"] };
    expect(await pushJobImages(job({ tags: ["r/c:1"] }), failed, engine, context())).toBe(failed);
    expect(await calls()).toEqual(["push r/b:1"]);
  });

  test("a refused push fails the job with the client's last lines; later tags are not pushed", async () => {
    await rm(path.join(dir, "calls"), { force: true });
    const outcome = await pushJobImages(
      job({ tags: ["r/denied:1", "r/d:2"] }),
      built,
      engineWith({ dockerBinary: docker }),
      context(),
    );
    expect(outcome).toEqual({
      ...built,
      status: "failed",
      command: `${docker} push r/denied:1`,
      errorLines: [
        "the image was built, but pushing r/denied:1 failed:",
        "The push refers to repository [r/denied:1]",
        "denied: requested access to the resource is denied",
      ],
    });
    expect(await calls()).toEqual(["push r/denied:1"]);
  });

  test("a client that cannot start fails the job saying so", async () => {
    const outcome = await pushJobImages(
      job({ tags: ["r/e:1"] }),
      built,
      engineWith({ dockerBinary: path.join(dir, "missing") }),
      context(),
    );
    expect(outcome.status).toBe("failed");
    expect(outcome.errorLines?.[1]).toMatch(/could not be started: ENOENT/);
  });

  test("stopping the run stops the push: cancelled", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = pushJobImages(
      job({ tags: ["r/slow:1"] }),
      built,
      engineWith({ dockerBinary: docker }),
      context(controller.signal),
    );
    setTimeout(() => controller.abort(), 200);
    expect((await pending).status).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
