import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createContextFilter } from "../../src/inputs/context-filter.js";
import { listContextFiles } from "../../src/inputs/context-files.js";
import { parseGitRecords } from "../../src/inputs/git-index.js";
import { cleanTempDirs, tempDir, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

const TREE = [
  "a.txt",
  "node_modules/x/index.js",
  "node_modules/x/keep.txt",
  "node_modules/.bin/tool",
  "src/app.js",
  "src/app.test.js",
  "src/gen/out.js",
  "docs/guide/intro.md",
  "docs/keep.md",
  "deep/a/b/c.log",
  "deep/a/b/keep.log",
  "Dockerfile",
];

describe("createContextFilter", () => {
  it.each([
    { patterns: ["node_modules"], skip: { node_modules: true, src: false } },
    {
      patterns: ["node_modules", "!node_modules/x/keep.txt"],
      skip: { node_modules: false, "node_modules/.bin": true },
    },
    { patterns: ["node_modules", "!**/keep.txt"], skip: { node_modules: false } },
    { patterns: ["docs", "!docs/keep.md"], skip: { docs: false, "docs/guide": true } },
    { patterns: ["*", "!src"], skip: { docs: true, src: false } },
  ])("skips a folder only when nothing inside can come back: $patterns", ({ patterns, skip }) => {
    const filter = createContextFilter(patterns);
    for (const [dir, expected] of Object.entries(skip)) expect(filter.canSkipDir(dir), dir).toBe(expected);
  });

  it.each([
    [["node_modules"]],
    [["node_modules", "!node_modules/x/keep.txt"]],
    [["node_modules", "!**/keep.txt"]],
    [["**/*.log", "!deep/a/b/keep.log"]],
    [["*", "!src", "src/gen"]],
    [["docs/*", "!docs/guide"]],
    [["**/*.test.js", "deep"]],
    [["/src/", "!src/app.js"]],
  ])("a walk that skips folders lists exactly what the matcher lets through: %j", async (patterns) => {
    const dir = tempDir();
    writeFiles(dir, Object.fromEntries(TREE.map((f) => [f, f])));
    const filter = createContextFilter(patterns);
    const expected = TREE.filter((f) => filter.includes(f)).sort();
    const listed = await listContextFiles(dir, patterns);
    expect(listed.map((f) => f.path)).toEqual(expected);
    expect(listed.every((f) => f.absolutePath === path.join(dir, f.path))).toBe(true);
  });
});

describe("parseGitRecords", () => {
  const id = "0".repeat(40);
  const z = (...lines: string[]) => lines.map((l) => `${l}\0`).join("");

  it("trusts the index only for clean, visible, unconflicted entries", () => {
    const staged = z(
      `H 100644 ${id} 0\tclean.txt`,
      `H 100755 ${id} 0\tmodified.sh`,
      `h 100644 ${id} 0\tassumed.txt`,
      `S 100644 ${id} 0\tsparse.txt`,
      `M 100644 ${id} 1\tconflict.txt`,
      `M 100644 ${id} 2\tconflict.txt`,
      `H 160000 ${id} 0\tsubmodule`,
      `H 120000 ${id} 0\tlink`,
    );
    const records = parseGitRecords(staged, z("modified.sh"), z("new file.txt", "nested/"));
    expect(records).toEqual([
      { path: ".git", kind: "walk" },
      { path: "assumed.txt", kind: "worktree" },
      { path: "clean.txt", kind: "index", mode: "100644", id },
      { path: "conflict.txt", kind: "worktree" },
      { path: "link", kind: "index", mode: "120000", id },
      { path: "modified.sh", kind: "worktree" },
      { path: "nested", kind: "walk" },
      { path: "new file.txt", kind: "worktree" },
      { path: "sparse.txt", kind: "worktree" },
      { path: "submodule", kind: "walk" },
    ]);
  });

  it("gives up on a SHA-256 repository, whose ids a walk would not reproduce", () => {
    expect(parseGitRecords(z(`H 100644 ${"0".repeat(64)} 0\ta`), "", "")).toBeUndefined();
  });
});
