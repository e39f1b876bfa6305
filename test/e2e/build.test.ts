import { createHash } from "node:crypto";
import path from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, test } from "vitest";
import { INPUT_HASH_LABEL } from "../../src/inputs/index.js";
import {
  BUSYBOX_IMAGE,
  docker,
  imageExists,
  imageId,
  imageLabel,
  makeTempProject,
  readFileInImage,
  removeImages,
  runDockbuild,
  writeFiles,
  type DockbuildRun,
} from "./helpers/index.js";
import {
  imageJanitor,
  nonce,
  onlyEvent,
  parseEvents,
  readMetadata,
  recordingDocker,
  type ProgressEvent,
} from "./helpers/extra.js";

// `dockbuild [all|SERVICE...]` against the real engine: every assertion is on what the engine holds afterwards
// (images, their ids, labels and files), the metadata file and the progress events, never on the exit code alone.

const RUN = `dbe2e-build-${nonce(3)}`;
const janitor = imageJanitor();

afterAll(async () => {
  await removeImages(RUN);
  await janitor.removeTracked();
});

/** A fresh image-name prefix for one test's project: `dbe2e-build-<run>-<name>`. */
const prefixFor = (name: string) => `${RUN}-${name}`;

/** A run that must not have crashed; its output is shown when an expectation on it fails. */
function sane(run: DockbuildRun): DockbuildRun {
  expect(run.all, "dockbuild crashed").not.toMatch(/internal error|at .*\.js:\d+:\d+/);
  return run;
}

/** `base`; `api` and `worker` FROM it through `ARG BASE` / `FROM ${BASE}`; `web` copying from `assets` by context. */
function monorepo(prefix: string, stamp: string): Record<string, string> {
  return {
    "docker-compose.yml": [
      "services:",
      "  base:",
      `    image: ${prefix}/base`,
      "    build: ./base",
      "  api:",
      `    image: ${prefix}/api`,
      "    build: ./api",
      "  worker:",
      `    image: ${prefix}/worker`,
      "    build: ./worker",
      "  assets:",
      `    image: ${prefix}/assets`,
      "    build: ./assets",
      "  web:",
      `    image: ${prefix}/web`,
      "    build:",
      "      context: ./web",
      "      additional_contexts:",
      "        lib: service:assets",
      "",
    ].join("\n"),
    "base/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "base ${stamp}" > /base.txt\n`,
    "api/Dockerfile": `ARG BASE=${prefix}/base\nFROM \${BASE}\nRUN cat /base.txt > /api.txt && echo api >> /api.txt\n`,
    "worker/Dockerfile": `ARG BASE=${prefix}/base\nFROM \${BASE}\nRUN cat /base.txt > /worker.txt && echo worker >> /worker.txt\n`,
    "assets/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "assets ${stamp}" > /file\n`,
    "web/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nCOPY --from=lib /file /file\nRUN echo web > /web.txt\n`,
  };
}

function builds(calls: string[]): string[] {
  return calls.filter((c) => /^(buildx )?build /.test(c));
}

describe("a cold build where services build FROM other services' images", () => {
  test("dependencies are built first, and every image holds what its build put there", async () => {
    const prefix = prefixFor("cold");
    const stamp = nonce();
    const dir = await makeTempProject(monorepo(prefix, stamp), { name: "cold" });
    const metadataFile = path.join(dir, "metadata.json");

    const run = sane(
      await runDockbuild(["all", "-j", "2", "--progress", "json", "--metadata-file", metadataFile], {
        cwd: dir,
      }),
    );
    expect(run.exitCode, run.all).toBe(0);

    const events = parseEvents(run.stdout);
    const services = ["base", "api", "worker", "assets", "web"];
    for (const service of services) {
      expect(onlyEvent(events, "finish", service).status).toBe("built");
    }
    // A service starts only after the build of the image it builds on has finished.
    for (const [dependency, dependent] of [
      ["base", "api"],
      ["base", "worker"],
      ["assets", "web"],
    ] as const) {
      expect(onlyEvent(events, "finish", dependency).time).toBeLessThanOrEqual(
        onlyEvent(events, "start", dependent).time,
      );
    }

    const metadata = await readMetadata(metadataFile);
    expect(Object.keys(metadata).sort()).toEqual([...services].sort());
    for (const service of services) {
      const ref = `${prefix}/${service}`;
      expect(metadata[service]).toMatchObject({ status: "built", tags: [ref] });
      expect(metadata[service]?.imageId).toBe(await imageId(ref));
      expect(await imageLabel(ref, INPUT_HASH_LABEL)).toMatch(/^[0-9a-f]{64}$/);
    }

    // api and worker were built on this run's base (its stamp), not on some other image of that name.
    expect(await readFileInImage(`${prefix}/api`, "/api.txt")).toBe(`base ${stamp}\napi\n`);
    expect(await readFileInImage(`${prefix}/worker`, "/worker.txt")).toBe(`base ${stamp}\nworker\n`);
    // The 20.10 engine has no named contexts: the file came through the rewritten `COPY --from`.
    expect(await readFileInImage(`${prefix}/web`, "/file")).toBe(`assets ${stamp}\n`);
    expect(await docker(["run", "--rm", `${prefix}/web`, "cat", "/web.txt"])).toBe("web");
  });
});

describe("building named services", () => {
  test("`dockbuild SERVICE` builds it and its build-time dependencies only; --no-deps uses the existing image", async () => {
    const prefix = prefixFor("select");
    const stamp = nonce();
    const dir = await makeTempProject(monorepo(prefix, stamp), { name: "select" });
    const metadataFile = path.join(dir, "metadata.json");

    const first = sane(
      await runDockbuild(["api", "--progress", "quiet", "--metadata-file", metadataFile], { cwd: dir }),
    );
    expect(first.exitCode, first.all).toBe(0);
    expect(Object.keys(await readMetadata(metadataFile)).sort()).toEqual(["api", "base"]);
    expect(await imageExists(`${prefix}/base`)).toBe(true);
    expect(await readFileInImage(`${prefix}/api`, "/api.txt")).toBe(`base ${stamp}\napi\n`);
    for (const other of ["worker", "assets", "web"]) {
      expect(await imageExists(`${prefix}/${other}`), other).toBe(false);
    }

    // base's Dockerfile changes but --no-deps must not rebuild it: api builds on the image the engine holds.
    const baseId = await imageId(`${prefix}/base`);
    await writeFiles(dir, {
      "base/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "base changed ${nonce()}" > /base.txt\n`,
      "api/Dockerfile": `ARG BASE=${prefix}/base\nFROM \${BASE}\nRUN cat /base.txt > /api.txt && echo api >> /api.txt\nRUN echo v2 > /v2.txt\n`,
    });
    const noDeps = sane(
      await runDockbuild(["api", "--no-deps", "--progress", "quiet", "--metadata-file", metadataFile], {
        cwd: dir,
      }),
    );
    expect(noDeps.exitCode, noDeps.all).toBe(0);
    const metadata = await readMetadata(metadataFile);
    expect(Object.keys(metadata)).toEqual(["api"]);
    expect(metadata.api?.status).toBe("built");
    expect(await imageId(`${prefix}/base`)).toBe(baseId);
    expect(await readFileInImage(`${prefix}/api`, "/api.txt")).toBe(`base ${stamp}\napi\n`);
    expect(await readFileInImage(`${prefix}/api`, "/v2.txt")).toBe("v2\n");
    for (const other of ["worker", "assets", "web"]) {
      expect(await imageExists(`${prefix}/${other}`), other).toBe(false);
    }
  });
});

describe("a failing service", () => {
  // One build at a time: `bad` heads the longest chain (bad → dep → dep2), so it starts first.
  async function failingProject(name: string) {
    const prefix = prefixFor(name);
    const stamp = nonce();
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "services:",
          ...["ok", "ok2", "bad", "dep", "dep2"].flatMap((s) => [
            `  ${s}:`,
            `    image: ${prefix}/${s}`,
            `    build: ./${s}`,
          ]),
          "",
        ].join("\n"),
        "ok/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "ok ${stamp}" > /ok.txt\n`,
        "ok2/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "ok2 ${stamp}" > /ok2.txt\n`,
        "bad/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "checking ${stamp}" && echo "broken-${stamp}" >&2 && exit 1\n`,
        "dep/Dockerfile": `FROM ${prefix}/bad\nRUN echo dep > /dep.txt\n`,
        "dep2/Dockerfile": `FROM ${prefix}/dep\nRUN echo dep2 > /dep2.txt\n`,
      },
      { name },
    );
    return { prefix, stamp, dir, metadataFile: path.join(dir, "metadata.json") };
  }

  /** The summary block for `bad`: its name, the command, and the engine's last error lines. */
  function expectFailureSummary(stderr: string, stamp: string): void {
    const block = stderr.slice(stderr.indexOf("\nbad failed"));
    expect(block, stderr).toMatch(/^\nbad failed\n {2}\$ .*build .*bad/);
    expect(block).toContain(`    broken-${stamp}\n`);
    expect(block).toMatch(/ {4}.*exit code: 1\n/);
    expect(stderr).toMatch(/^dockbuild: build failed: bad$/m);
  }

  test("fail-fast: exit 1, the engine's error in the summary, nothing that depends on it (or waits) is built", async () => {
    const { prefix, stamp, dir, metadataFile } = await failingProject("failfast");
    const run = sane(
      await runDockbuild(["all", "-j", "1", "--progress", "plain", "--metadata-file", metadataFile], {
        cwd: dir,
      }),
    );
    expect(run.exitCode, run.all).toBe(1);
    expectFailureSummary(run.stderr, stamp);

    const metadata = await readMetadata(metadataFile);
    expect(metadata.bad?.status).toBe("failed");
    expect(metadata.bad?.error).toEqual(expect.arrayContaining([`broken-${stamp}`]));
    for (const service of ["ok", "ok2", "dep", "dep2"]) {
      expect(metadata[service]?.status, service).toMatch(/^(cancelled|skipped)$/);
    }
    for (const service of ["bad", "dep", "dep2", "ok", "ok2"]) {
      expect(await imageExists(`${prefix}/${service}`), service).toBe(false);
    }
  });

  test("--keep-going: every independent service is built, dependents are skipped, exit 1", async () => {
    const { prefix, stamp, dir, metadataFile } = await failingProject("keepgoing");
    const run = sane(
      await runDockbuild(
        ["all", "-j", "1", "--keep-going", "--progress", "plain", "--metadata-file", metadataFile],
        {
          cwd: dir,
        },
      ),
    );
    expect(run.exitCode, run.all).toBe(1);
    expectFailureSummary(run.stderr, stamp);
    expect(run.stderr).toMatch(/^dep skipped: bad failed$/m);
    expect(run.stderr).toMatch(/^dep2 skipped: .*bad.*$/m);

    const metadata = await readMetadata(metadataFile);
    expect(metadata).toMatchObject({
      ok: { status: "built" },
      ok2: { status: "built" },
      bad: { status: "failed" },
      dep: { status: "skipped", reason: expect.stringContaining("bad") },
      dep2: { status: "skipped", reason: expect.stringContaining("bad") },
    });
    expect(await readFileInImage(`${prefix}/ok`, "/ok.txt")).toBe(`ok ${stamp}\n`);
    expect(await readFileInImage(`${prefix}/ok2`, "/ok2.txt")).toBe(`ok2 ${stamp}\n`);
    expect(metadata.ok?.imageId).toBe(await imageId(`${prefix}/ok`));
    for (const service of ["bad", "dep", "dep2"]) {
      expect(await imageExists(`${prefix}/${service}`), service).toBe(false);
    }
  });
});

describe("identical builds", () => {
  test("two services with the same build (a YAML anchor) are one engine build: both tags on one image", async () => {
    const prefix = prefixFor("same");
    const stamp = nonce();
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "x-app-build: &app-build",
          "  context: ./app",
          "  args:",
          `    STAMP: "${stamp}"`,
          "services:",
          "  one:",
          `    image: ${prefix}/one`,
          "    build: *app-build",
          "  two:",
          `    image: ${prefix}/two`,
          "    build: *app-build",
          "",
        ].join("\n"),
        "app/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nARG STAMP\nRUN echo "app $STAMP" > /app.txt\n`,
      },
      { name: "same" },
    );
    const metadataFile = path.join(dir, "metadata.json");
    const run = sane(
      await runDockbuild(["all", "--progress", "json", "--metadata-file", metadataFile], { cwd: dir }),
    );
    expect(run.exitCode, run.all).toBe(0);

    const starts = parseEvents(run.stdout).filter((e: ProgressEvent) => e.event === "start");
    expect(starts).toHaveLength(1);
    expect([...(starts[0]?.services ?? [])].sort()).toEqual(["one", "two"]);

    const id = await imageId(`${prefix}/one`);
    expect(await imageId(`${prefix}/two`)).toBe(id);
    const repoTags: unknown = JSON.parse(
      await docker(["image", "inspect", "--format", "{{json .RepoTags}}", id]),
    );
    expect(repoTags).toEqual(expect.arrayContaining([`${prefix}/one:latest`, `${prefix}/two:latest`]));
    expect(await readFileInImage(`${prefix}/two`, "/app.txt")).toBe(`app ${stamp}\n`);

    const metadata = await readMetadata(metadataFile);
    const primary = metadata.one?.sameBuildAs === undefined ? "one" : "two";
    const other = primary === "one" ? "two" : "one";
    expect(metadata[other]?.sameBuildAs).toBe(primary);
    expect(metadata.one?.imageId).toBe(id);
    expect(metadata.two?.imageId).toBe(id);
  });
});

describe("cache mounts", () => {
  test("what one service's build writes to a cache mount, a later build with the same mount id reads", async () => {
    const prefix = prefixFor("cache");
    const stamp = nonce();
    // Cache mounts are shared by every build on the engine: the id is this test's alone.
    const mountId = `shared-${prefix}`;
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "services:",
          "  writer:",
          `    image: ${prefix}/writer`,
          "    build: ./writer",
          "  reader:",
          `    image: ${prefix}/reader`,
          "    build: ./reader",
          "",
        ].join("\n"),
        "writer/Dockerfile":
          `FROM ${BUSYBOX_IMAGE}\n` +
          `RUN --mount=type=cache,target=/cache/x,id=${mountId} echo "marker ${stamp}" > /cache/x/marker\n`,
        // FROM the writer's image: so it builds later. The mount sits at another path; only the id is shared.
        "reader/Dockerfile":
          `FROM ${prefix}/writer\n` +
          `RUN --mount=type=cache,target=/cache/y,id=${mountId} (cat /cache/y/marker 2>/dev/null || echo none) > /found.txt\n`,
      },
      { name: "cache" },
    );
    const run = sane(await runDockbuild(["all", "--progress", "plain"], { cwd: dir }));
    expect(run.exitCode, run.all).toBe(0);
    expect(await readFileInImage(`${prefix}/reader`, "/found.txt")).toBe(`marker ${stamp}\n`);
    // The marker reached the reader through the mount, not through the writer's image.
    await expect(readFileInImage(`${prefix}/writer`, "/cache/x/marker")).rejects.toThrow(/no file/);

    // --no-cache: the build gets empty cache mounts.
    const noCache = sane(
      await runDockbuild(["reader", "--no-deps", "--no-cache", "--progress", "plain"], { cwd: dir }),
    );
    expect(noCache.exitCode, noCache.all).toBe(0);
    expect(await readFileInImage(`${prefix}/reader`, "/found.txt")).toBe("none\n");
  });
});

describe("build secrets", () => {
  test("secrets from the environment and from a file reach the build; their values are never printed or written", async () => {
    const prefix = prefixFor("secret");
    const stamp = nonce();
    const variable = `DBE2E_TOKEN_${nonce(3).toUpperCase()}`;
    const envValue = `env-secret-value-${nonce(8)}`;
    const fileValue = `file-secret-value-${nonce(8)}`;
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "services:",
          "  app:",
          `    image: ${prefix}/app`,
          "    build:",
          "      context: ./app",
          "      secrets: [envtok, filetok]",
          "  broken:",
          `    image: ${prefix}/broken`,
          "    build:",
          "      context: ./broken",
          "      secrets: [envtok]",
          "secrets:",
          "  envtok:",
          `    environment: ${variable}`,
          "  filetok:",
          "    file: ./token.txt",
          "",
        ].join("\n"),
        "token.txt": fileValue,
        // The stamp keeps the step out of the engine's cache: BuildKit does not key a step on a secret's value.
        "app/Dockerfile":
          `FROM ${BUSYBOX_IMAGE}\n` +
          `RUN --mount=type=secret,id=envtok --mount=type=secret,id=filetok echo ${stamp} >/dev/null && ` +
          `sha256sum /run/secrets/envtok | cut -d" " -f1 > /env.sha && ` +
          `sha256sum /run/secrets/filetok | cut -d" " -f1 > /file.sha\n`,
        "broken/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN --mount=type=secret,id=envtok echo ${stamp} && test ! -s /run/secrets/envtok\n`,
      },
      { name: "secret" },
    );
    const env = { [variable]: envValue };
    const metadataFile = path.join(dir, "metadata.json");
    const expectNoSecret = (what: string, text: string) => {
      expect(text, what).not.toContain(envValue);
      expect(text, what).not.toContain(fileValue);
    };

    const run = sane(
      await runDockbuild(["app", "--progress", "json", "--metadata-file", metadataFile], { cwd: dir, env }),
    );
    expect(run.exitCode, run.all).toBe(0);
    expect((await readFileInImage(`${prefix}/app`, "/env.sha")).trim()).toBe(sha(envValue));
    expect((await readFileInImage(`${prefix}/app`, "/file.sha")).trim()).toBe(sha(fileValue));
    expectNoSecret("stdout", run.stdout);
    expectNoSecret("stderr", run.stderr);
    expectNoSecret("metadata", JSON.stringify(await readMetadata(metadataFile)));
    // The command passes them by reference.
    expect(onlyEvent(parseEvents(run.stdout), "finish", "app").command).toContain(
      `id=envtok,env=${variable}`,
    );

    // A failing build prints its command and the engine's error in the summary: still no value.
    const failed = sane(
      await runDockbuild(["broken", "--progress", "plain", "--metadata-file", metadataFile], {
        cwd: dir,
        env,
      }),
    );
    expect(failed.exitCode, failed.all).toBe(1);
    expect(failed.stderr).toContain("broken failed");
    expectNoSecret("failure output", failed.all);
    expectNoSecret("failure metadata", JSON.stringify(await readMetadata(metadataFile)));

    const dryRun = sane(await runDockbuild(["all", "--dry-run"], { cwd: dir, env }));
    expect(dryRun.exitCode, dryRun.all).toBe(0);
    expect(dryRun.stdout).toContain(`--secret id=envtok,env=${variable}`);
    expect(dryRun.stdout).toContain(`--secret id=filetok,src=${path.join(dir, "token.txt")}`);
    expectNoSecret("dry run", dryRun.all);

    const plan = sane(await runDockbuild(["plan", "--json"], { cwd: dir, env }));
    expect(plan.exitCode, plan.all).toBe(0);
    expectNoSecret("plan", plan.all);
  });
});

describe("--dry-run", () => {
  test("prints commands that, run by hand, build what dockbuild would build", async () => {
    const prefix = prefixFor("dryrun");
    const stamp = nonce();
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "services:",
          "  app:",
          `    image: ${prefix}/app`,
          "    build: ./app",
          "",
        ].join("\n"),
        // A cache mount: only BuildKit builds this Dockerfile.
        "app/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN --mount=type=cache,target=/cache/dry echo "dry ${stamp}" > /dry.txt\n`,
      },
      { name: "dryrun" },
    );
    const dryRun = sane(await runDockbuild(["all", "--dry-run"], { cwd: dir }));
    expect(dryRun.exitCode, dryRun.all).toBe(0);
    expect(await imageExists(`${prefix}/app`)).toBe(false);
    const commands = dryRun.stdout.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
    expect(commands).toHaveLength(1);

    // A person's shell, which has no DOCKER_BUILDKIT unless the command sets it.
    const { DOCKER_BUILDKIT: _unset, ...env } = process.env;
    const byHand = await execa("sh", ["-c", commands[0] as string], {
      env,
      extendEnv: false,
      stdin: "ignore",
      all: true,
      reject: false,
    });
    expect(byHand.exitCode, `${commands[0]}\n${byHand.all}`).toBe(0);
    expect(await readFileInImage(`${prefix}/app`, "/dry.txt")).toBe(`dry ${stamp}\n`);
  });
});

describe("up-to-date checks", () => {
  test("an unchanged project starts no engine build; a changed file rebuilds it and its dependents; --force rebuilds", async () => {
    const prefix = prefixFor("uptodate");
    const stamp = nonce();
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "services:",
          ...["app", "child", "other"].flatMap((s) => [
            `  ${s}:`,
            `    image: ${prefix}/${s}`,
            `    build: ./${s}`,
          ]),
          "",
        ].join("\n"),
        "app/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nCOPY . /src\nRUN cat /src/msg.txt > /msg.txt\n`,
        "app/.dockerignore": "*.md\n",
        "app/msg.txt": `first ${stamp}\n`,
        "app/notes.md": "not part of the build\n",
        "child/Dockerfile": `FROM ${prefix}/app\nRUN cp /msg.txt /child.txt\n`,
        "other/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "other ${stamp}" > /other.txt\n`,
      },
      { name: "uptodate" },
    );
    const recorder = await recordingDocker(path.join(dir, ".docker-wrapper"));
    const metadataFile = path.join(dir, "metadata.json");
    const services = ["app", "child", "other"];
    const build = async (...extra: string[]) => {
      await recorder.reset();
      const run = sane(
        await runDockbuild(["all", "--progress", "json", "--metadata-file", metadataFile, ...extra], {
          cwd: dir,
          env: { DOCKBUILD_DOCKER: recorder.binary },
        }),
      );
      expect(run.exitCode, run.all).toBe(0);
      const metadata = await readMetadata(metadataFile);
      const ids: Record<string, string> = {};
      for (const s of services) {
        ids[s] = await imageId(`${prefix}/${s}`);
        janitor.track(ids[s]);
      }
      return {
        statuses: Object.fromEntries(services.map((s) => [s, metadata[s]?.status])),
        ids,
        engineBuilds: builds(await recorder.calls()),
        steps: parseEvents(run.stdout).filter((e) => e.event === "step"),
      };
    };

    const cold = await build();
    expect(cold.statuses).toEqual({ app: "built", child: "built", other: "built" });
    expect(cold.engineBuilds).toHaveLength(3);

    const again = await build();
    expect(again.statuses).toEqual({ app: "up-to-date", child: "up-to-date", other: "up-to-date" });
    expect(again.engineBuilds).toEqual([]);
    expect(again.steps).toEqual([]);
    expect(again.ids).toEqual(cold.ids);

    // A file the context's .dockerignore excludes is no input of the build.
    await writeFiles(dir, { "app/notes.md": `changed ${nonce()}\n` });
    const ignored = await build();
    expect(ignored.statuses).toEqual({ app: "up-to-date", child: "up-to-date", other: "up-to-date" });
    expect(ignored.engineBuilds).toEqual([]);
    expect(ignored.ids).toEqual(cold.ids);

    // A file of the context: that service and the one built FROM it are rebuilt, nothing else.
    await writeFiles(dir, { "app/msg.txt": `second ${stamp}\n` });
    const changed = await build();
    expect(changed.statuses).toEqual({ app: "built", child: "built", other: "up-to-date" });
    expect(changed.engineBuilds).toHaveLength(2);
    expect(changed.ids.app).not.toBe(cold.ids.app);
    expect(changed.ids.child).not.toBe(cold.ids.child);
    expect(changed.ids.other).toBe(cold.ids.other);
    expect(await readFileInImage(`${prefix}/app`, "/msg.txt")).toBe(`second ${stamp}\n`);
    expect(await readFileInImage(`${prefix}/child`, "/child.txt")).toBe(`second ${stamp}\n`);

    const forced = await build("--force");
    expect(forced.statuses).toEqual({ app: "built", child: "built", other: "built" });
    expect(forced.engineBuilds).toHaveLength(3);
    expect(forced.steps.length).toBeGreaterThan(0);

    // And once more without --force: the forced builds left the images up to date.
    const after = await build();
    expect(after.statuses).toEqual({ app: "up-to-date", child: "up-to-date", other: "up-to-date" });
    expect(after.engineBuilds).toEqual([]);
  });
});

describe("up-to-date checks and external base images", () => {
  test("a base image that is no service's, re-tagged to another image, makes its users out of date", async () => {
    const prefix = prefixFor("external");
    const base = `${prefix}-ext/base`;
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "services:",
          "  app:",
          `    image: ${prefix}/app`,
          "    build: ./app",
          "",
        ].join("\n"),
        "app/Dockerfile": `FROM ${base}\nRUN cat /version.txt > /seen.txt\n`,
        "v1/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "v1 ${nonce()}" > /version.txt\n`,
        "v2/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "v2 ${nonce()}" > /version.txt\n`,
      },
      { name: "external" },
    );
    const metadataFile = path.join(dir, "metadata.json");
    const build = async () => {
      const run = sane(
        await runDockbuild(["all", "--progress", "quiet", "--metadata-file", metadataFile], { cwd: dir }),
      );
      expect(run.exitCode, run.all).toBe(0);
      janitor.track(await imageId(`${prefix}/app`));
      return (await readMetadata(metadataFile)).app?.status;
    };

    await docker(["build", "--quiet", "--tag", base, path.join(dir, "v1")]);
    janitor.track(await imageId(base));
    expect(await build()).toBe("built");
    expect(await build()).toBe("up-to-date");
    const v1 = await readFileInImage(base, "/version.txt");
    expect(await readFileInImage(`${prefix}/app`, "/seen.txt")).toBe(v1);

    await docker(["build", "--quiet", "--tag", base, path.join(dir, "v2")]);
    expect(await build()).toBe("built");
    const v2 = await readFileInImage(base, "/version.txt");
    expect(v2).not.toBe(v1);
    expect(await readFileInImage(`${prefix}/app`, "/seen.txt")).toBe(v2);
  });
});

describe("--stage", () => {
  test("runs each service's test stage; a failing one fails the run with its output; services without it are named", async () => {
    const prefix = prefixFor("stage");
    const stamp = nonce();
    const dir = await makeTempProject(
      {
        "docker-compose.yml": [
          "services:",
          ...["a", "b", "c"].flatMap((s) => [
            `  ${s}:`,
            `    image: ${prefix}/${s}`,
            "    build:",
            `      context: ./${s}`,
            ...(s === "c" ? [] : ["      target: prod"]),
          ]),
          "",
        ].join("\n"),
        "a/Dockerfile":
          `FROM ${BUSYBOX_IMAGE} AS build\nRUN echo "a ${stamp}" > /a.txt\n` +
          `FROM build AS test\nRUN grep -q "a ${stamp}" /a.txt && echo "pass ${stamp}" > /test-result\n` +
          "FROM build AS prod\n",
        "b/Dockerfile":
          `FROM ${BUSYBOX_IMAGE} AS build\nRUN echo "b ${stamp}" > /b.txt\n` +
          `FROM build AS test\nRUN echo "assertion failed in b ${stamp}" && exit 1\n` +
          "FROM build AS prod\n",
        "c/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nRUN echo "c ${stamp}" > /c.txt\n`,
      },
      { name: "stage" },
    );
    const metadataFile = path.join(dir, "metadata.json");

    const passing = sane(
      await runDockbuild(
        ["a", "c", "--stage", "test", "--progress", "plain", "--metadata-file", metadataFile],
        {
          cwd: dir,
        },
      ),
    );
    expect(passing.exitCode, passing.all).toBe(0);
    expect(passing.all).toMatch(/warning: no stage "test" in the Dockerfile of: c\b/);
    const passed = await readMetadata(metadataFile);
    expect(Object.keys(passed)).toEqual(["a:test"]);
    expect(passed["a:test"]?.status).toBe("built");
    const testImage = passed["a:test"]?.imageId;
    janitor.track(testImage);
    expect(testImage).toMatch(/^sha256:/);
    expect(await readFileInImage(testImage as string, "/test-result")).toBe(`pass ${stamp}\n`);
    // A stage run tags nothing: the services' images are not replaced by their test stages.
    for (const s of ["a", "b", "c"]) expect(await imageExists(`${prefix}/${s}`), s).toBe(false);

    const failing = sane(
      await runDockbuild(
        ["all", "--stage", "test", "-k", "--progress", "plain", "--metadata-file", metadataFile],
        {
          cwd: dir,
        },
      ),
    );
    expect(failing.exitCode, failing.all).toBe(1);
    expect(failing.all).toMatch(/warning: no stage "test" in the Dockerfile of: c\b/);
    const block = failing.stderr.slice(failing.stderr.indexOf("b:test failed"));
    expect(block, failing.stderr).toMatch(/^b:test failed\n/);
    expect(block).toContain(`    assertion failed in b ${stamp}\n`);
    const failed = await readMetadata(metadataFile);
    expect(failed).toMatchObject({ "a:test": { status: "built" }, "b:test": { status: "failed" } });
    expect(failed["b:test"]?.error).toEqual(expect.arrayContaining([`assertion failed in b ${stamp}`]));
    janitor.track(failed["a:test"]?.imageId);
    for (const s of ["a", "b", "c"]) expect(await imageExists(`${prefix}/${s}`), s).toBe(false);
  });
});
