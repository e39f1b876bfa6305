import { lstatSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  isUnchanged,
  parseGitIndex,
  type FileStat,
  type IndexEntry,
} from "../../src/inputs/git-index-file.js";
import { cleanTempDirs, git, gitRepo, link, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

const readIndex = (dir: string) => parseGitIndex(readFileSync(path.join(dir, ".git/index")));

/** What git itself says of each entry: `git ls-files -s` and the stat data of `git ls-files --debug`. */
function gitsView(dir: string) {
  const staged = git(dir, "ls-files", "-s", "-z").split("\0").filter(Boolean);
  const debug = git(dir, "-c", "core.quotePath=false", "ls-files", "--debug").split("\n");
  return staged.map((line) => {
    const [, mode = "", id = "", file = ""] = /^(\d+) ([0-9a-f]+) \d\t(.*)$/s.exec(line) ?? [];
    const at = debug.indexOf(file);
    const field = (name: string) =>
      (debug
        .slice(at + 1, at + 6)
        .join(" ")
        .match(new RegExp(`${name}: (\\S+)`)) ?? [])[1] ?? "";
    const time = (name: string) => field(name).split(":").map(Number);
    return {
      path: file,
      mode: parseInt(mode, 8),
      id,
      ctime: time("ctime"),
      mtime: time("mtime"),
      ino: Number(field("ino")),
      size: Number(field("size")),
    };
  });
}

const FILES = {
  "a.txt": "a\n",
  "src/main.js": "console.log(1)\n",
  "src/ü ñ.txt": "unicode\n",
  "x/y/z/deep.txt": "",
};

describe("parseGitIndex reads the index git wrote", () => {
  it.each([2, 3, 4])(
    "version %i: every entry's path, mode, blob id and stat data, as git lists them",
    (version) => {
      const dir = gitRepo(FILES);
      link(dir, "current", "src/main.js");
      git(dir, "add", "current");
      git(dir, "update-index", "--index-version", String(version));
      const entries = readIndex(dir);
      if (typeof entries === "string") throw new Error(entries);
      expect(entries.map(({ untrusted: _u, ...rest }) => rest)).toEqual(gitsView(dir));
      expect(entries.map((e) => e.untrusted)).toEqual(entries.map(() => false));
      expect(entries.find((e) => e.path === "current")?.mode).toBe(0o120000);
    },
  );

  it("marks entries git does not trust the work tree for: assume-unchanged, skip-worktree, intent-to-add", () => {
    const dir = gitRepo({ "a.txt": "a", "b.txt": "b", "c.txt": "c", "d.txt": "d" });
    git(dir, "update-index", "--assume-unchanged", "a.txt");
    git(dir, "update-index", "--skip-worktree", "b.txt");
    writeFiles(dir, { "new.txt": "n" });
    git(dir, "add", "-N", "new.txt");
    const entries = readIndex(dir);
    if (typeof entries === "string") throw new Error(entries);
    expect(Object.fromEntries(entries.map((e) => [e.path, e.untrusted]))).toEqual({
      "a.txt": true,
      "b.txt": true,
      "c.txt": false,
      "d.txt": false,
      "new.txt": true,
    });
  });

  it("marks the stages of a merge conflict", () => {
    const dir = gitRepo({ "f.txt": "base\n" });
    git(dir, "checkout", "-q", "-b", "other");
    writeFiles(dir, { "f.txt": "other\n" });
    git(dir, "commit", "-q", "-am", "other");
    git(dir, "checkout", "-q", "main");
    writeFiles(dir, { "f.txt": "main\n" });
    git(dir, "commit", "-q", "-am", "main");
    expect(() => git(dir, "merge", "-q", "other")).toThrow();
    const entries = readIndex(dir);
    if (typeof entries === "string") throw new Error(entries);
    expect(entries.map((e) => [e.path, e.untrusted])).toEqual([
      ["f.txt", true],
      ["f.txt", true],
      ["f.txt", true],
    ]);
  });

  it("refuses a split index, a wrong checksum and what is not an index", () => {
    const split = gitRepo(FILES);
    git(split, "update-index", "--split-index");
    expect(readIndex(split)).toBe("split");

    const corrupt = gitRepo(FILES);
    const file = path.join(corrupt, ".git/index");
    const data = readFileSync(file);
    data[40] = (data[40] ?? 0) ^ 0xff;
    writeFileSync(file, data);
    expect(readIndex(corrupt)).toBe("checksum");

    expect(parseGitIndex(Buffer.from("not an index at all, not at all"))).toBe("malformed");
    const truncated = readFileSync(path.join(gitRepo(FILES), ".git/index"));
    // a shorter file whose checksum is zeros (as index.skipHash writes): the entries run past its end
    const cut = Buffer.concat([truncated.subarray(0, 80), Buffer.alloc(20)]);
    expect(parseGitIndex(cut)).toBe("malformed");
  });
});

describe("isUnchanged: git's recorded id still describes the file", () => {
  const entry: IndexEntry = {
    path: "a.txt",
    mode: 0o100644,
    id: "0".repeat(40),
    ctime: [1000, 500],
    mtime: [1000, 400],
    ino: 77,
    size: 12,
    untrusted: false,
  };
  const stat: FileStat = {
    mtimeNs: 1000_000000400n,
    ctimeNs: 1000_000000500n,
    ino: 77n,
    size: 12n,
    symlink: false,
  };
  const written = 2000;

  it.each([
    { name: "everything as recorded", e: {}, s: {}, at: written, unchanged: true },
    {
      name: "git keeps no nanoseconds",
      e: { mtime: [1000, 0], ctime: [1000, 0] },
      s: {},
      at: written,
      unchanged: true,
    },
    { name: "another mtime", e: {}, s: { mtimeNs: 1000_000000401n }, at: written, unchanged: false },
    {
      name: "another mtime second",
      e: { mtime: [1000, 0] },
      s: { mtimeNs: 1001_000000400n },
      at: written,
      unchanged: false,
    },
    {
      name: "another ctime (chmod, rename)",
      e: {},
      s: { ctimeNs: 1001_000000500n },
      at: written,
      unchanged: false,
    },
    { name: "another inode (replaced)", e: {}, s: { ino: 78n }, at: written, unchanged: false },
    { name: "another size", e: {}, s: { size: 13n }, at: written, unchanged: false },
    { name: "a symlink now", e: {}, s: { symlink: true }, at: written, unchanged: false },
    {
      name: "a symlink recorded and found",
      e: { mode: 0o120000 },
      s: { symlink: true },
      at: written,
      unchanged: true,
    },
    { name: "changed in the second the index was written (racy)", e: {}, s: {}, at: 1000, unchanged: false },
    { name: "an entry git does not trust", e: { untrusted: true }, s: {}, at: written, unchanged: false },
    { name: "a submodule", e: { mode: 0o160000 }, s: {}, at: written, unchanged: false },
    {
      name: "sizes past 4 GiB compared as git stores them",
      e: { size: 12 },
      s: { size: 2n ** 32n + 12n },
      at: written,
      unchanged: true,
    },
  ])("$name: $unchanged", ({ e, s, at, unchanged }) => {
    expect(isUnchanged({ ...entry, ...(e as Partial<IndexEntry>) }, { ...stat, ...s }, at)).toBe(unchanged);
  });

  it("agrees with lstat on a file git just recorded", () => {
    const dir = gitRepo({ "a.txt": "a\n" });
    const [recorded] = readIndex(dir) as IndexEntry[];
    const s = lstatSync(path.join(dir, "a.txt"), { bigint: true });
    const now: FileStat = {
      mtimeNs: s.mtimeNs,
      ctimeNs: s.ctimeNs,
      ino: s.ino,
      size: s.size,
      symlink: false,
    };
    expect(isUnchanged(recorded as IndexEntry, now, Number.MAX_SAFE_INTEGER)).toBe(true);
  });
});
