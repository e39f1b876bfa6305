import path from "node:path";
import { DockbuildError } from "../errors.js";
import { runGit, splitNul } from "./git.js";

const FETCH_HINT =
  "fetch it first, e.g. `git fetch origin main`; a shallow CI clone needs its history (`fetch-depth: 0`, or `git fetch --deepen`)";

/**
 * Every file (absolute path) that differs between REF and the work tree: committed since the merge base,
 * staged, unstaged, deleted (both sides of a rename) and untracked, so that nothing a build reads is missed.
 */
export async function changedFilesSince(repoDir: string, ref: string): Promise<string[]> {
  const top = await runGit(repoDir, ["rev-parse", "--show-cdup"]);
  if (top.failed) {
    throw new DockbuildError(
      "BAD_INPUT",
      `${repoDir} is not inside a git repository, so --since ${ref} cannot be used`,
      {
        hint: "run dockbuild from a git checkout, or build without --affected",
        cause: top.stderr || top.spawnError,
      },
    );
  }
  // Joined onto the folder as given, so that the paths compare equal with contexts spelled the same way.
  const root = path.resolve(repoDir, top.stdout.trim());
  const commit = await runGit(root, [
    "rev-parse",
    "--verify",
    "--quiet",
    "--end-of-options",
    `${ref}^{commit}`,
  ]);
  if (commit.failed) {
    throw new DockbuildError("BAD_INPUT", `unknown git revision "${ref}" in ${root}`, {
      hint: FETCH_HINT,
      cause: commit.stderr,
    });
  }
  const base = await runGit(root, ["merge-base", commit.stdout.trim(), "HEAD"]);
  // No merge base (a shallow clone, unrelated histories): diff against REF itself, which can only add files.
  const since = base.failed ? commit.stdout.trim() : base.stdout.trim();
  const [diff, untracked] = await Promise.all([
    runGit(root, ["diff", "--name-only", "--no-renames", "--no-ext-diff", "-z", since, "--"]),
    runGit(root, ["ls-files", "-o", "--exclude-standard", "-z"]),
  ]);
  for (const result of [diff, untracked]) {
    if (result.failed) {
      throw new DockbuildError("BAD_INPUT", `git could not list the files changed since ${ref}`, {
        hint: FETCH_HINT,
        cause: result.stderr || result.spawnError,
      });
    }
  }
  const files = new Set([...splitNul(diff.stdout), ...splitNul(untracked.stdout)]);
  // An untracked nested repository is listed as `dir/`.
  return [...files].map((file) => path.join(root, file.replace(/\/$/, ""))).sort();
}
