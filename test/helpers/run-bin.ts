import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";

const REPO = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(REPO, "bin", "dockbuild.js");

/** Run the built CLI (`node bin/dockbuild.js`, so `pnpm build` must have run) and collect what it printed. */
export async function runBin(
  args: string[],
  cwd = REPO,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  if (!existsSync(path.join(REPO, "dist", "cli", "main.js"))) {
    throw new Error("these tests run the built CLI: run `pnpm build` first");
  }
  const result = await execa(process.execPath, [BIN, ...args], {
    cwd,
    reject: false,
    stdin: "ignore",
    env: { NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Write files (folders end with `/`) into a fresh temporary folder and return its path. */
export function writeProject(files: Record<string, string>, prefix = "dockbuild-check-"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (name.endsWith("/")) {
      mkdirSync(file, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}
