import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";

/** A file of a fixture project: its text, or its bytes and mode. */
export type FixtureFile = string | { content: string | Uint8Array; mode?: number };

export interface TempProjectOptions {
  /** Start of the folder's name, and so of the Compose project's name; lowercase. Default `project`. */
  name?: string;
  /** Make the folder a git repository with every file committed (for `--affected --since`). */
  git?: boolean;
}

/** Where fixture projects go: the run's folder made by global-setup, else the system's temp folder. */
function tempRoot(): string {
  return process.env.DOCKBUILD_E2E_TMP ?? os.tmpdir();
}

/**
 * Write a fixture project into a fresh folder and return its absolute path. The folder is outside the
 * repository, so that dockbuild finds neither this repo's config nor its git history there.
 */
export async function makeTempProject(
  files: Record<string, FixtureFile>,
  options: TempProjectOptions = {},
): Promise<string> {
  // Lowercase letters and digits only: the folder's name becomes the Compose project name.
  const dir = path.join(tempRoot(), `${options.name ?? "project"}-${randomBytes(4).toString("hex")}`);
  await mkdir(dir, { recursive: true });
  await writeFiles(dir, files);
  if (options.git) {
    await git(dir, ["init", "--quiet", "--initial-branch=main"]);
    await commitAll(dir, "fixture");
  }
  return dir;
}

/** Write (or overwrite) files under `dir`, making folders as needed. */
export async function writeFiles(dir: string, files: Record<string, FixtureFile>): Promise<void> {
  for (const [name, file] of Object.entries(files)) {
    const target = path.join(dir, name);
    await mkdir(path.dirname(target), { recursive: true });
    if (typeof file === "string") await writeFile(target, file);
    else await writeFile(target, file.content, { mode: file.mode ?? 0o644 });
  }
}

/** Commit everything in the fixture repository; returns the new commit's id. */
export async function commitAll(dir: string, message: string): Promise<string> {
  await git(dir, ["add", "--all"]);
  await git(dir, ["commit", "--quiet", "--allow-empty", "--message", message]);
  return (await git(dir, ["rev-parse", "HEAD"])).trim();
}

/** Run git in a fixture repository with a fixed identity; returns stdout. */
export async function git(dir: string, args: readonly string[]): Promise<string> {
  const result = await execa("git", args, {
    cwd: dir,
    stdin: "ignore",
    env: {
      GIT_AUTHOR_NAME: "dockbuild tests",
      GIT_AUTHOR_EMAIL: "tests@dockbuild.invalid",
      GIT_COMMITTER_NAME: "dockbuild tests",
      GIT_COMMITTER_EMAIL: "tests@dockbuild.invalid",
    },
  });
  return result.stdout;
}
