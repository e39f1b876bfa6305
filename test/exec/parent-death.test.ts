import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/exec/index.js";
import { parentDeathWrapper, wrappedSpawnError } from "../../src/exec/parent-death.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "dockbuild-exec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("wrappedSpawnError: setpriv's own failures read as the spawn errors they stand for", () => {
  it.each([
    [127, "setpriv: failed to execute docker: No such file or directory\n", "ENOENT"],
    [126, "setpriv: failed to execute docker: Permission denied\n", "EACCES"],
    [127, "docker: some tool's own exit 127\n", undefined],
    [1, "setpriv: failed to execute docker: No such file or directory\n", undefined],
    [127, "setpriv: failed to execute other: No such file or directory\n", undefined],
    [0, "", undefined],
  ])("exit %i with %j → %s", (exitCode, stderr, expected) => {
    expect(wrappedSpawnError("docker", exitCode, stderr)).toBe(expected);
  });
});

describe("runCommand under the parent-death wrapper", () => {
  it("uses setpriv on this Linux machine (util-linux)", async () => {
    expect(process.platform).toBe("linux");
    expect((await parentDeathWrapper())?.prefix).toEqual(["--pdeathsig", "SIGTERM", "--"]);
  });

  it("still runs the command with its arguments and output", async () => {
    const result = await runCommand("sh", ["-c", 'echo "$0 $1"; exit 3', "a b", "c"]);
    expect([result.exitCode, result.stdout, result.spawnError]).toEqual([3, "a b c", undefined]);
  });

  it("a missing binary is still ENOENT and one that cannot be run EACCES", async () => {
    expect((await runCommand(path.join(dir, "missing"), ["version"])).spawnError).toBe("ENOENT");
    const notExecutable = path.join(dir, "not-executable");
    writeFileSync(notExecutable, "#!/bin/sh\n");
    chmodSync(notExecutable, 0o644);
    expect((await runCommand(notExecutable, [])).spawnError).toBe("EACCES");
  });

  it("the child's parent is dockbuild itself (setpriv execs the command, it does not wait for it)", async () => {
    const result = await runCommand("sh", ["-c", "echo $PPID"]);
    expect(Number(result.stdout)).toBe(process.pid);
  });
});
