import { cpSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  docker,
  readFileInImage,
  removeImages,
  REPO_ROOT,
  runDockbuild,
  type DockbuildRun,
} from "./helpers/index.js";
import { nonce } from "./helpers/extra.js";
import { ensureToolchainImages, TOOLCHAIN_BYTES } from "./helpers/toolchains.js";

// `dockbuild init` on the Node workspace, Go modules and Python fixtures, then `dockbuild all` and
// `dockbuild all --stage test` on the real engine. The generated Dockerfiles take their base images from build
// args; the config points them at the stand-in toolchain images (busybox and stub commands that check their
// inputs: see test/fixtures/toolchains/README.md). What this proves: the files init writes are valid for
// BuildKit, their stages, COPY paths, cache mounts, commands' working folders and final copies fit together,
// the test stages build, and the final images hold the app and not the toolchain, as a non-root user. It does
// not prove that a real npm, go or pip would succeed on these projects: no toolchain can be pulled here.

const RUN = `dbinit-${nonce(3)}`;
const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "init");

interface Case {
  fixture: string;
  /** The build args the config sets, per service. */
  args: Record<string, string>;
  services: {
    name: string;
    user: string;
    /** A file the final image must hold, and its text when it is a text file. */
    file: string;
    text?: string;
  }[];
}

const CASES: Case[] = [
  {
    fixture: "node-workspace",
    args: { NODE_IMAGE: "dockbuild-fixture/node:22", NODE_RUNTIME_IMAGE: "dockbuild-fixture/node:22-slim" },
    services: [
      {
        name: "api",
        user: "1000:1000",
        file: "/app/packages/api/dist/server.js",
        text: "// The api: answers with the shared greeting.\n",
      },
      {
        name: "web",
        user: "1000:1000",
        file: "/app/packages/shared/index.js",
        text: 'exports.greeting = "hello from acme";\n',
      },
    ],
  },
  {
    fixture: "go-modules",
    args: { GO_IMAGE: "dockbuild-fixture/golang:1.23", RUNTIME_IMAGE: "scratch" },
    services: [
      { name: "api", user: "65532:65532", file: "/usr/local/bin/api" },
      { name: "worker", user: "65532:65532", file: "/usr/local/bin/worker" },
    ],
  },
  {
    fixture: "python",
    args: {
      PYTHON_IMAGE: "dockbuild-fixture/python:3.12",
      PYTHON_RUNTIME_IMAGE: "dockbuild-fixture/python:3.12-slim",
    },
    services: [
      {
        name: "reports",
        user: "10001:10001",
        file: "/opt/venv/lib/site-packages/stub_package/__init__.py",
        text: "installed\n",
      },
      {
        name: "ingest",
        user: "10001:10001",
        file: "/app/ingest/cli.py",
        text: 'def main():\n    print("ingest")\n',
      },
    ],
  },
];

function sane(run: DockbuildRun): DockbuildRun {
  expect(run.all, "dockbuild crashed").not.toMatch(/internal error|at .*\.js:\d+:\d+/);
  return run;
}

beforeAll(async () => {
  await ensureToolchainImages();
});

afterAll(async () => {
  await removeImages(RUN);
});

describe.each(CASES)("init on $fixture, then build", ({ fixture, args, services }) => {
  test("the written files build; the final images hold the app, not the toolchain, as a non-root user", async () => {
    const dir = path.join(process.env.DOCKBUILD_E2E_TMP ?? "/tmp", `${RUN}-${fixture}`);
    cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
    const init = sane(await runDockbuild(["init", dir]));
    expect(init.exitCode, init.all).toBe(0);
    const config = [
      "services:",
      ...services.map((s) => `  ${s.name}: { args: ${JSON.stringify(args)} }`),
      "",
    ];
    writeFileSync(path.join(dir, ".dockbuildrc.yml"), config.join("\n"));
    const project = ["--project-directory", dir, "--project-name", `${RUN}-${fixture}`];

    const check = sane(await runDockbuild([...project, "check", "--strict"]));
    expect(check.stdout.trim()).toBe(`no findings in ${services.length} services`);

    const build = sane(await runDockbuild([...project, "all", "--progress", "plain"]));
    expect(build.exitCode, build.all).toBe(0);
    for (const service of services) {
      const image = `${RUN}-${fixture}-${service.name}`;
      const [size, user] = (
        await docker(["image", "inspect", "--format", "{{.Size}} {{.Config.User}}", image])
      )
        .trim()
        .split(" ");
      expect(Number(size), `${image} carries the toolchain`).toBeLessThan(TOOLCHAIN_BYTES / 4);
      expect(user).toBe(service.user);
      const content = await readFileInImage(image, service.file);
      if (service.text !== undefined) expect(content.startsWith(service.text), content).toBe(true);
      else expect(content.length).toBeGreaterThan(100_000);
    }

    const tests = sane(await runDockbuild([...project, "all", "--stage", "test", "--progress", "plain"]));
    expect(tests.exitCode, tests.all).toBe(0);
    expect(tests.all).toMatch(/\btest\b/);
  });
});
