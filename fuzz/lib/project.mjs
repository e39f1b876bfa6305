// Writes a case's files into a folder: regular files, folders, symbolic links and named pipes.
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { toBuffer } from "./content.mjs";

/**
 * The case's files under `dir` (which must be empty). A package.json at the top stops dockbuild's config
 * search there, so that nothing above the case's folder is read (unless the case writes its own).
 */
export function writeCase(dir, testCase) {
  mkdirSync(join(dir, "repo"), { recursive: true });
  mkdirSync(join(dir, "home"), { recursive: true });
  if (!testCase.files.some((f) => f.path === "package.json")) {
    writeFileSync(join(dir, "package.json"), '{ "name": "fuzz-case", "private": true }\n');
  }
  for (const file of testCase.files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    if (file.dir) mkdirSync(path, { recursive: true });
    else if (file.symlink !== undefined) symlinkSync(file.symlink, path);
    else if (file.fifo) {
      const made = spawnSync("mkfifo", [path]);
      if (made.status !== 0) throw new Error(`mkfifo ${path} failed: ${made.stderr}`);
    } else writeFileSync(path, toBuffer(file.content ?? ""));
  }
}
