import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";

// bin/dockbuild.js as people start it: as a program (how npm's and pnpm's links run it), through `node --`
// (the package script), and with a Node too old for dockbuild.

const REPO = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(REPO, "bin", "dockbuild.js");
const dir = mkdtempSync(path.join(os.tmpdir(), "dockbuild-bin-"));
writeFileSync(path.join(dir, "compose.yaml"), "services:\n  api:\n    build: .\n");
writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (file: string, args: string[], env: Record<string, string> = {}) =>
  execa(file, args, { cwd: dir, env, stdin: "ignore", reject: false, timeout: 30_000 });

/** The version of the system's own Node, when there is one apart from the Node running these tests. */
const SYSTEM_NODE = "/usr/bin/node";
const systemNode = existsSync(SYSTEM_NODE)
  ? execFileSync(SYSTEM_NODE, ["-p", "process.versions.node"], { encoding: "utf8" }).trim()
  : undefined;
const systemNodeIsOld = systemNode !== undefined && Number(systemNode.split(".")[0]) < 22;

describe("--env-file reaches dockbuild, not Node (which reads it anywhere before a `--`)", () => {
  it.each([
    ["as a program", BIN, ["--env-file", "/missing", "plan"]],
    ["as a program, --env-file=FILE after the command", BIN, ["plan", "--env-file=/missing"]],
    [
      "through `node --` (the package script)",
      process.execPath,
      ["--", BIN, "--env-file", "/missing", "plan"],
    ],
  ])("%s: dockbuild's own message, exit 2", async (_how, file, args) => {
    const result = await run(file, args);
    expect([result.exitCode, result.stderr]).toEqual([
      2,
      "dockbuild: /missing: env file not found\n  hint: check --env-file",
    ]);
  });

  it("this Node is one that would take the flag itself (the reason for the above)", async () => {
    const result = await run(process.execPath, [BIN, "--env-file", "/missing", "plan"]);
    expect([result.exitCode, result.stderr]).toEqual([9, `${process.execPath}: /missing: not found`]);
  });
});

describe("a Node older than dockbuild needs", () => {
  it("the bin's minimum is package.json's engines", () => {
    const engines = (
      JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { engines: { node: string } }
    ).engines.node;
    const needed = /const NEEDED = \[(\d+), (\d+)\];/.exec(readFileSync(BIN, "utf8"));
    expect(engines).toBe(`>=${needed?.[1]}.${needed?.[2]}`);
  });

  it.skipIf(!systemNodeIsOld)(
    `says which Node is needed and which was found, exit 2 (the system's ${SYSTEM_NODE}, Node ${systemNode ?? "absent"}; skipped where it is missing or not older than 22)`,
    async () => {
      const expected =
        `dockbuild: Node 22.13 or newer is needed; this is Node ${systemNode} (${SYSTEM_NODE})\n` +
        "  hint: install a current Node (24 LTS) and put it first on PATH";
      const direct = await run(SYSTEM_NODE, [BIN, "plan"]);
      expect([direct.exitCode, direct.stderr, direct.stdout]).toEqual([2, expected, ""]);
      // As a program, the first `node` on PATH runs it.
      const onPath = await run(BIN, ["plan"], { PATH: `${path.dirname(SYSTEM_NODE)}:/bin` });
      expect([onPath.exitCode, onPath.stderr]).toEqual([2, expected]);
    },
  );
});
