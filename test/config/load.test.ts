import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { InputError } from "../../src/errors.js";

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dockbuild-config-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function problemsOf(options: Parameters<typeof loadConfig>[0]) {
  try {
    await loadConfig(options);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error("no InputError");
}

describe("loadConfig: broken files of other tools never stop a run", () => {
  it("a package.json that cannot be parsed and names no dockbuild key is skipped with a warning", async () => {
    const dir = folder({ "package.json": '{\n  "name": "x",\n  "version": 1,,\n}\n' });
    const loaded = await loadConfig({ searchFrom: dir });
    expect(loaded.config).toEqual({});
    expect(loaded.warnings).toEqual([
      `${dir}/package.json:3: cannot be parsed (property name expected at line 3, column 16); it has no "dockbuild" key, so dockbuild skips it`,
    ]);
  });

  it("a broken package.json in a parent folder does not block the run nor name a file that does not exist", async () => {
    const root = folder({ "package.json": "{ broken", "apps/web/compose.yaml": "services: {}\n" });
    const loaded = await loadConfig({ searchFrom: path.join(root, "apps/web") });
    expect(loaded.config).toEqual({});
    expect(loaded.filepath).toBeUndefined();
    expect(loaded.warnings).toEqual([
      expect.stringMatching(new RegExp(`^${root}/package.json:1: cannot be parsed`)),
    ]);
    expect(loaded.warnings.join("")).not.toContain(".dockbuildrc");
  });

  it("a package.json that cannot be parsed but holds a dockbuild key is bad input at its line", async () => {
    const dir = folder({ "package.json": '{\n  "dockbuild": { "concurrency": 2 }\n  "name": "x"\n}\n' });
    expect(await problemsOf({ searchFrom: dir })).toEqual([
      {
        location: { file: `${dir}/package.json`, line: 3 },
        message: "cannot parse the config file: comma expected at line 3, column 3",
        hint: "fix the syntax at that line",
      },
    ]);
  });

  it("a broken dockbuild.config.json keeps the parser's detail, line and column", async () => {
    const dir = folder({ "dockbuild.config.json": '{\n  "groups": {\n    "be": ["api",]\n  }\n}\n' });
    expect(await problemsOf({ searchFrom: dir })).toEqual([
      {
        location: { file: `${dir}/dockbuild.config.json`, line: 3 },
        message: "cannot parse the config file: value expected at line 3, column 18",
        hint: "fix the syntax at that line",
      },
    ]);
  });

  it("a broken YAML config names its own file and the line js-yaml points at", async () => {
    const dir = folder({ ".dockbuildrc.yml": "groups:\n  be: [api\nconcurrency: 2\n" });
    expect(await problemsOf({ searchFrom: dir })).toEqual([
      {
        location: { file: `${dir}/.dockbuildrc.yml`, line: 3 },
        message: expect.stringMatching(/^cannot parse the config file: .* at line 3, column \d+$/),
        hint: "fix the syntax at that line",
      },
    ]);
  });
});

describe("loadConfig: files that are not files", () => {
  it("files: naming /dev/zero, a folder or a missing file is bad input at the entry's line", async () => {
    const dir = folder({
      "compose.yaml": "services: {}\n",
      "dockbuild.config.yml": "files:\n  - compose.yaml\n  - /dev/zero\n  - sub\n  - missing.yml\n",
      "sub/x": "",
    });
    const problems = await problemsOf({ searchFrom: dir });
    const file = `${dir}/dockbuild.config.yml`;
    expect(problems.map((p) => ({ location: p.location, message: p.message }))).toEqual([
      { location: { file, line: 3 }, message: "files[1]: compose file /dev/zero is not a regular file" },
      { location: { file, line: 4 }, message: `files[2]: compose file ${dir}/sub is not a regular file` },
      { location: { file, line: 5 }, message: `files[3]: compose file ${dir}/missing.yml does not exist` },
    ]);
  });

  it("-c /dev/zero is refused before anything reads it", async () => {
    const problems = await problemsOf({ searchFrom: "/", explicitPath: "/dev/zero" });
    expect(problems).toEqual([
      {
        location: { file: "/dev/zero" },
        message: "config file /dev/zero is not a regular file",
        hint: "check -c",
      },
    ]);
  });
});
