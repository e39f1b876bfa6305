import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, test } from "vitest";
import { describeFailure, errorFailure } from "../../src/util/read-input-file.js";
import { makeProject, runCli } from "../helpers/run-cli.js";
import { loadDir, problemsIn, service } from "./helpers.js";

const only = (problems: { file?: string; line?: number; message: string }[]) =>
  problems.map(({ file, line, message }) => ({ file, line, message }));

/** `levels` anchors, each a list of ten aliases of the one before: 10^levels scalars once expanded. */
function aliasBomb(levels: number, indent: string): string {
  const lines = [`${indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let i = 1; i <= levels; i++) {
    lines.push(`${indent}l${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(", ")}]`);
  }
  return lines.join("\n");
}

describe("YAML aliases: refused when they expand the document many times over (go-yaml's rule, as in Compose)", () => {
  test("9 levels × 10 aliases in build.args is refused at once, at the alias that tips it", async () => {
    const dir = makeProject({
      "compose.yaml": `services:\n  app:\n    build:\n      context: .\n      args:\n${aliasBomb(9, "        ")}\n`,
    });
    const [problem, ...rest] = only(await problemsIn(dir));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      file: "compose.yaml",
      message: "invalid YAML: document contains excessive aliasing",
    });
    expect(problem?.line).toBeGreaterThan(6);
  });

  test("10 levels used only under x- keys are refused the same way (the alias graph is never walked as a tree)", async () => {
    const dir = makeProject({
      "compose.yaml": `x-bomb:\n${aliasBomb(10, "  ")}\nservices:\n  app:\n    build: .\n`,
    });
    expect(only(await problemsIn(dir))[0]?.message).toBe(
      "invalid YAML: document contains excessive aliasing",
    );
  });

  test("10,000 aliases of one scalar are fine (each is one node; Compose accepts it too)", async () => {
    const list = Array.from({ length: 10_000 }, () => "*v").join(", ");
    const dir = makeProject({
      "compose.yaml": `x-v: &v acme\nx-list: [${list}]\nservices:\n  app:\n    image: *v\n    build: .\n`,
    });
    expect(service(await loadDir(dir), "app").image).toBe("acme");
  });

  test("50,000 anchors are fine, each alias resolved to the nearest anchor before it", async () => {
    const anchors = Array.from({ length: 50_000 }, (_, i) => `  k${i}: &a${i} v${i}`).join("\n");
    const dir = makeProject({
      "compose.yaml": `x-anchors:\n${anchors}\n  again: &a7 redefined\nservices:\n  app:\n    build:\n      context: .\n      args: { FIRST: *a0, LAST: *a49999, SEVEN: *a7 }\n`,
    });
    expect(service(await loadDir(dir), "app").build?.args).toEqual({
      FIRST: "v0",
      LAST: "v49999",
      SEVEN: "redefined",
    });
  });

  test("YAML nested 5,000 levels deep is an error, not a stack overflow", async () => {
    const dir = makeProject({
      "compose.yaml": `x-deep: ${"[".repeat(5000)}${"]".repeat(5000)}\nservices: {}\n`,
    });
    const [problem] = only(await problemsIn(dir));
    expect(problem?.message).toMatch(/^invalid YAML: nested more than/);
  });

  test("YAML nested 300 levels deep (within the parser's reach) is refused past 200 levels", async () => {
    const dir = makeProject({
      "compose.yaml": `x-deep: ${"[".repeat(300)}${"]".repeat(300)}\nservices: {}\n`,
    });
    expect(only(await problemsIn(dir))).toEqual([
      { file: "compose.yaml", line: 1, message: "invalid YAML: nested more than 200 levels deep" },
    ]);
  });
});

describe("interpolation that would recurse or grow without end", () => {
  test("${X:- nested 2,000 deep in a compose value is a clear error at its line", async () => {
    const value = `${"${X:-".repeat(2000)}x${"}".repeat(2000)}`;
    const dir = makeProject({ "compose.yaml": `services:\n  app:\n    build: .\n    image: "${value}"\n` });
    expect(only(await problemsIn(dir))).toEqual([
      {
        file: "compose.yaml",
        line: 4,
        message: "services.app.image: interpolation nested more than 100 levels deep",
      },
    ]);
  });

  test("a .env chain that doubles itself past the string limit is an error at the line that does it", async () => {
    const lines = ["A0=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"];
    for (let i = 1; i <= 40; i++) lines.push(`A${i}=\${A${i - 1}}\${A${i - 1}}`);
    const dir = makeProject({
      "compose.yaml": "services:\n  app:\n    build: .\n",
      ".env": `${lines.join("\n")}\n`,
    });
    expect(only(await problemsIn(dir))).toEqual([
      { file: ".env", line: 17, message: "the value expands to more than 1 MiB" },
    ]);
  });
});

describe("files that are not files", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test("include: /dev/zero is refused before a byte is read", async () => {
    const dir = makeProject({ "compose.yaml": "include: [/dev/zero]\nservices:\n  app:\n    build: .\n" });
    expect(only(await problemsIn(dir))).toEqual([
      {
        file: "compose.yaml",
        line: 1,
        message: "include: /dev/zero is not a regular file (a character device)",
      },
    ]);
  });

  test("--env-file /dev/zero is refused", async () => {
    const dir = makeProject({ "compose.yaml": "services:\n  app:\n    build: .\n" });
    expect(only(await problemsIn(dir, { envFiles: ["/dev/zero"] }))).toEqual([
      {
        file: path.relative(dir, "/dev/zero"),
        line: undefined,
        message: "env file is not a regular file (a character device)",
      },
    ]);
  });

  test("include: of a FIFO is refused instead of blocking", async () => {
    const dir = makeProject({ "compose.yaml": "include: [./pipe.yaml]\nservices:\n  app:\n    build: .\n" });
    execFileSync("mkfifo", [path.join(dir, "pipe.yaml")]);
    expect(only(await problemsIn(dir))).toEqual([
      {
        file: "compose.yaml",
        line: 1,
        message: `include: ${dir}/pipe.yaml is not a regular file (a FIFO)`.replaceAll(dir, "<dir>"),
      },
    ]);
  });

  test("a compose file larger than 16 MiB is refused by its size, not read", async () => {
    const dir = makeProject({ "compose.yaml": "" });
    truncateSync(path.join(dir, "compose.yaml"), 17 * 1024 * 1024);
    expect(only(await problemsIn(dir))).toEqual([
      { file: "compose.yaml", line: undefined, message: "compose file is larger than 16 MiB" },
    ]);
  });

  test.each([
    ["found by the default lookup", {}],
    ["given with -f", { files: ["docker-compose.yml"] }],
  ])("a docker-compose.yml that is a symlink to itself (%s) is a clear error", async (_how, options) => {
    const dir = makeProject({});
    symlinkSync("docker-compose.yml", path.join(dir, "docker-compose.yml"));
    expect(only(await problemsIn(dir, options))).toEqual([
      {
        file: "docker-compose.yml",
        line: undefined,
        message: "compose file cannot be read (a symbolic link that loops back on itself)",
      },
    ]);
  });

  test("file system errors become words, never 'not found' for what exists", () => {
    expect(describeFailure(errorFailure({ code: "EACCES" }))).toBe("cannot be read (permission denied)");
    expect(describeFailure(errorFailure({ code: "EPERM" }))).toBe("cannot be read (permission denied)");
    expect(describeFailure(errorFailure({ code: "ELOOP" }))).toBe(
      "cannot be read (a symbolic link that loops back on itself)",
    );
    expect(describeFailure(errorFailure({ code: "ENOENT" }))).toBe("not found");
    expect(describeFailure(errorFailure({ code: "EISDIR" }))).toBe("is a folder");
  });

  // Root reads every file whatever its mode: the permission cases run as `nobody` when the tests run as root.
  const asNobody = process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;
  test.runIf(asNobody)(
    "an unreadable project folder and an unreadable compose file say 'permission denied', not 'not found' (run as nobody)",
    async () => {
      const work = mkdtempSync(path.join(tmpdir(), "dockbuild-eacces-"));
      dirs.push(work);
      chmodSync(work, 0o755);
      const entry = path.join(work, "entry.ts");
      const loader = fileURLToPath(new URL("../../src/compose/load.ts", import.meta.url));
      writeFileSync(
        entry,
        `import { loadProject } from ${JSON.stringify(loader)};\n` +
          `const [cwd, file] = process.argv.slice(2);\n` +
          `loadProject({ files: file ? [file] : [], envFiles: [], profiles: [], env: {}, cwd })\n` +
          `  .then(() => console.log("[]"), (e) => console.log(JSON.stringify(e.problems.map((p) => p.message))));\n`,
      );
      await build({
        entryPoints: [entry],
        outfile: path.join(work, "entry.mjs"),
        bundle: true,
        platform: "node",
        format: "esm",
        logLevel: "silent",
        banner: {
          js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
        },
      });
      const closed = path.join(work, "closed");
      const open = path.join(work, "open");
      for (const [folder, mode] of [
        [closed, 0o000],
        [open, 0o755],
      ] as const) {
        execFileSync("mkdir", ["-p", folder]);
        writeFileSync(path.join(folder, "compose.yaml"), "services:\n  app:\n    build: .\n");
        chmodSync(folder, mode);
      }
      chmodSync(path.join(open, "compose.yaml"), 0o000);
      const run = (...args: string[]): string[] => {
        const result = spawnSync(
          "setpriv",
          [
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            process.execPath,
            path.join(work, "entry.mjs"),
            ...args,
          ],
          // the schema is read from the dclint package, found through NODE_PATH from this temporary folder
          {
            encoding: "utf8",
            env: { ...process.env, NODE_PATH: fileURLToPath(new URL("../../node_modules", import.meta.url)) },
          },
        );
        expect(result.stderr).toBe("");
        return JSON.parse(result.stdout) as string[];
      };
      expect(run(closed)).toEqual([
        `cannot look for compose files in ${closed}: compose.yaml cannot be read (permission denied)`,
      ]);
      expect(run(open)).toEqual(["compose file cannot be read (permission denied)"]);
      // -f into the closed folder: its default .env cannot be looked at either (Compose fails on that too).
      expect(run(work, path.join(closed, "compose.yaml"))).toEqual([
        "env file cannot be read (permission denied)",
        "compose file cannot be read (permission denied)",
      ]);
      chmodSync(closed, 0o755);
    },
  );
});

describe("image references are checked where they are read", () => {
  test.each([
    [
      "image: acme/API:dev",
      "image: acme/API:dev",
      'services.app.image: "acme/API:dev" is not a valid image reference: repository name must be lowercase',
    ],
    [
      'image: "--format={{.Id}}"',
      'image: "--format={{.Id}}"',
      'services.app.image: "--format={{.Id}}" is not a valid image reference: invalid reference format',
    ],
    [
      "a 5 MB image name",
      `image: ${"a".repeat(5 * 1024 * 1024)}`,
      `services.app.image: ${JSON.stringify("a".repeat(60))}… (5242880 characters) is not a valid image reference: repository name must not be more than 255 characters`,
    ],
  ])("%s on a service that builds: exit 2 with file:line", async (_label, line, message) => {
    const dir = makeProject({
      "compose.yaml": `services:\n  app:\n    build: .\n    ${line}\n`,
      Dockerfile: "FROM scratch\n",
    });
    expect(only(await problemsIn(dir))).toEqual([{ file: "compose.yaml", line: 4, message }]);
    const result = await runCli(["plan", "--project-directory", dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${dir}/compose.yaml:4: ${message.slice(0, 40)}`);
  });

  test("a bad build.tags entry is reported at its own line", async () => {
    const dir = makeProject({
      "compose.yaml":
        "services:\n  app:\n    build:\n      context: .\n      tags:\n        - acme/app:1\n        - acme/app:-x\n",
    });
    expect(only(await problemsIn(dir))).toEqual([
      {
        file: "compose.yaml",
        line: 7,
        message:
          'services.app.build.tags[1]: "acme/app:-x" is not a valid image reference: invalid tag format',
      },
    ]);
  });

  test("an image name broken only by an unset variable (org/base:${TAG}) is flagged at its line and not used; the plan still shows", async () => {
    const dir = makeProject({
      "compose.yaml":
        "services:\n  base:\n    image: org/base:${TAG}\n    build:\n      context: .\n      tags: ['${REGISTRY}/base:1', org/base:1]\n",
      Dockerfile: "FROM scratch\n",
    });
    const project = await loadDir(dir);
    expect(service(project, "base").image).toBeUndefined();
    expect(service(project, "base").build?.tags).toEqual(["org/base:1"]);
    expect(project.warnings).toEqual([
      `${dir}/compose.yaml:3: The "TAG" variable is not set. Defaulting to a blank string.`,
      `${dir}/compose.yaml:6: The "REGISTRY" variable is not set. Defaulting to a blank string.`,
      `${dir}/compose.yaml:3: services.base.image: "org/base:" is not a valid image reference: invalid tag format (TAG not set; ignored)`,
      `${dir}/compose.yaml:6: services.base.build.tags[0]: "/base:1" is not a valid image reference: invalid reference format (REGISTRY not set; ignored)`,
    ]);
    expect((await runCli(["plan", "--project-directory", dir])).exitCode).toBe(0);
  });

  test("a bad image: on a service that is not built here is not a build's business: no warning, and the name is not used", async () => {
    const dir = makeProject({
      "compose.yaml":
        "services:\n  db:\n    image: Postgres:16\n  cache:\n    image: redis:${REDIS_VERSION}\n",
    });
    const project = await loadDir(dir);
    expect(service(project, "db").image).toBeUndefined();
    expect(service(project, "cache").image).toBeUndefined();
    expect(project.warnings).toEqual([]);
  });
});
