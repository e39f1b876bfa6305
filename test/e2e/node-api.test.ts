import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INPUT_HASH_LABEL } from "../../src/inputs/index.js";
import { dockerClient, imageLabel, REPO_ROOT } from "./helpers/index.js";

// The Node API as a user has it: the README's example, copied as written into a project of its own that
// depends on the built package (`import ... from "dockbuild"`), run on the example monorepo.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "dockbuild-api-"));
  await mkdir(path.join(dir, "node_modules"));
  await symlink(REPO_ROOT, path.join(dir, "node_modules", "dockbuild"), "dir");
  await execa(process.execPath, [path.join(REPO_ROOT, "scripts", "prepare-example.mjs")]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The first JavaScript block under the README's "Node API" heading. */
async function readmeExample(): Promise<string> {
  const readme = await readFile(path.join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.split(/^## Node API$/m)[1] ?? "";
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined) throw new Error('README.md has no ```js block under "## Node API"');
  return code;
}

describe("the README's Node API example", () => {
  it("runs as written against the built package: plans api after base, builds both", async () => {
    const file = path.join(dir, "example.mjs");
    await writeFile(file, await readmeExample());
    const run = await execa(process.execPath, [file], {
      cwd: REPO_ROOT,
      env: { DOCKBUILD_DOCKER: dockerClient(), NO_COLOR: "1" },
      reject: false,
      all: true,
    });
    expect(run.exitCode, run.all).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines).toContain("base: 0");
    expect(lines.find((l) => l.startsWith("api: "))).toMatch(
      /^api: deps → builder → runtime → api \(after base\)$/,
    );
    expect(lines.filter((l) => / (built|up-to-date) \d+ bytes$/.test(l)).map((l) => l.split(" ")[0])).toEqual(
      ["base", "api"],
    );
    // what the build made is in the engine, labelled with its input hash
    expect(await imageLabel("acme/api:dev", INPUT_HASH_LABEL)).toMatch(/^[0-9a-f]{64}$/);
  });
});
