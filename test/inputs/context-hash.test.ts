import { renameSync, rmSync, utimesSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listContextFiles, readDockerignore } from "../../src/inputs/context-files.js";
import { fileBlobId } from "../../src/inputs/blob-id.js";
import { contextEntries, hashContext } from "../../src/inputs/context-hash.js";
import type { IndexEntry } from "../../src/inputs/git-index-file.js";
import { loadGitIndex, type GitIndexEntries } from "../../src/inputs/git-index.js";
import { chmod, cleanTempDirs, git, gitRepo, link, tempDir, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

/**
 * The context's hash by a plain walk, checked to be identical to both git fast paths': git's index read
 * here, and `git ls-files` (forced by allowing no entry to be read here).
 */
async function hashBoth(context: string, dockerfile?: string): Promise<string> {
  const walked = await hashContext(context, { dockerfile });
  const index = await loadGitIndex(context);
  expect(index?.kind, "the context is in a small git work tree").toBe("index");
  expect(await hashContext(context, { dockerfile, git: index })).toBe(walked);
  const listing = await loadGitIndex(context, undefined, undefined, 0);
  expect(listing?.kind).toBe("listing");
  expect(await hashContext(context, { dockerfile, git: listing })).toBe(walked);
  return walked;
}

/**
 * Make every file look as if it was written well before the index (git then trusts its recorded ids, as it
 * would on a real machine): backdate them, then let git record their times again.
 */
function settle(dir: string): void {
  const past = new Date(Date.now() - 60_000);
  for (const file of git(dir, "ls-files", "-z").split("\0").filter(Boolean)) {
    try {
      utimesSync(path.join(dir, file), past, past);
    } catch {
      // a symlink pointing nowhere: left as it is
    }
  }
  git(dir, "update-index", "-q", "--refresh");
}

const TREE = {
  ".dockerignore": ".git\n",
  Dockerfile: "FROM scratch\nCOPY . /\n",
  "src/main.js": "console.log(1)\n",
  "src/util.js": "export {}\n",
  "run.sh": "#!/bin/sh\n",
};

describe("hashContext sees every change the engine would receive", () => {
  it.each([
    { name: "a file's content", change: (d: string) => writeFiles(d, { "src/main.js": "console.log(2)\n" }) },
    { name: "a new file", change: (d: string) => writeFiles(d, { "src/new.js": "" }) },
    { name: "a deleted file", change: (d: string) => rmSync(path.join(d, "src/util.js")) },
    {
      name: "a renamed file",
      change: (d: string) => renameSync(path.join(d, "src/util.js"), path.join(d, "src/utils.js")),
    },
    { name: "the exec bit", change: (d: string) => chmod(d, "run.sh", 0o755) },
    { name: "a symlink's target", change: (d: string) => link(d, "current", "src/util.js") },
    { name: "a new empty file in a new folder", change: (d: string) => writeFiles(d, { "a/b/c": "" }) },
  ])("$name, by the git fast path and by a walk alike", async ({ change }) => {
    const dir = gitRepo(TREE);
    link(dir, "current", "src/main.js");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "link");
    settle(dir);
    const before = await hashBoth(dir);
    change(dir);
    const unstaged = await hashBoth(dir);
    expect(unstaged).not.toBe(before);
    git(dir, "add", "-A");
    expect(await hashBoth(dir), "staging changes nothing the engine sees").toBe(unstaged);
    git(dir, "commit", "-q", "-m", "change");
    expect(await hashBoth(dir), "committing changes nothing the engine sees").toBe(unstaged);
  });

  it("is the same for the same tree in a git checkout and in a plain folder", async () => {
    const repo = gitRepo(TREE);
    chmod(repo, "run.sh", 0o755);
    writeFiles(repo, { "src/main.js": "changed, not staged\n" });
    const plain = tempDir();
    writeFiles(plain, { ...TREE, "src/main.js": "changed, not staged\n" });
    chmod(plain, "run.sh", 0o755);
    expect(await hashContext(plain)).toBe(await hashBoth(repo));
  });

  it("counts a staged change and a further unstaged change on top of it", async () => {
    const dir = gitRepo(TREE);
    writeFiles(dir, { "src/main.js": "staged\n" });
    git(dir, "add", "src/main.js");
    const staged = await hashBoth(dir);
    writeFiles(dir, { "src/main.js": "staged, then edited\n" });
    expect(await hashBoth(dir)).not.toBe(staged);
  });

  it("counts untracked and gitignored files: Docker does not read .gitignore", async () => {
    const dir = gitRepo({ ...TREE, ".gitignore": "*.gen\nbuild/\n" });
    const before = await hashBoth(dir);
    writeFiles(dir, { "api.gen": "generated" });
    const generated = await hashBoth(dir);
    expect(generated).not.toBe(before);
    writeFiles(dir, { "build/out/bundle.js": "x" });
    expect(await hashBoth(dir)).not.toBe(generated);
  });

  it("does not change when only the mtime does", async () => {
    const dir = gitRepo(TREE);
    settle(dir);
    const before = await hashBoth(dir);
    const later = new Date(Date.now() + 3_600_000);
    utimesSync(path.join(dir, "src/main.js"), later, later);
    writeFiles(dir, { "src/util.js": TREE["src/util.js"] });
    expect(await hashBoth(dir)).toBe(before);
  });

  it("sees an exec-bit change where the repository ignores file modes", async () => {
    const dir = gitRepo(TREE);
    git(dir, "config", "core.fileMode", "false");
    const before = await hashBoth(dir);
    chmod(dir, "run.sh", 0o755);
    expect(await hashBoth(dir)).not.toBe(before);
  });

  it("reads a file git was told to assume unchanged from disk", async () => {
    const dir = gitRepo(TREE);
    settle(dir);
    git(dir, "update-index", "--assume-unchanged", "src/main.js");
    const before = await hashBoth(dir);
    writeFiles(dir, { "src/main.js": "changed behind git's back\n" });
    expect(await hashBoth(dir)).not.toBe(before);
  });

  it("walks a nested repository git does not look into", async () => {
    const dir = gitRepo(TREE);
    const nested = path.join(dir, "vendor/lib");
    writeFiles(nested, { "lib.js": "1" });
    git(nested, "init", "-q");
    const before = await hashBoth(dir);
    writeFiles(nested, { "lib.js": "2" });
    expect(await hashBoth(dir)).not.toBe(before);
  });

  it("hashes a context below the repository root with the root's index", async () => {
    const dir = gitRepo({
      "services/api/Dockerfile": "FROM scratch\n",
      "services/api/a.txt": "a",
      "other/x": "x",
    });
    const api = path.join(dir, "services/api");
    const before = await hashBoth(api);
    writeFiles(dir, { "other/x": "changed" });
    expect(await hashBoth(api), "a change outside the context").toBe(before);
    writeFiles(dir, { "services/api/a.txt": "changed" });
    expect(await hashBoth(api)).not.toBe(before);
  });

  it("counts .git itself when the .dockerignore does not exclude it", async () => {
    const dir = gitRepo({ Dockerfile: "FROM scratch\n" });
    const files = await listContextFiles(dir, await readDockerignore(dir));
    expect(files.some((f) => f.path === ".git/HEAD")).toBe(true);
    await hashBoth(dir);
  });
});

describe("hashContext leaves out what .dockerignore excludes", () => {
  const IGNORE = ["secrets", "**/*.log", "node_modules", "docs/*", "!docs/keep.md", "!**/important.log"].join(
    "\n",
  );
  const files = {
    ".dockerignore": IGNORE,
    "app.js": "1",
    "secrets/key": "k",
    "logs/a.log": "a",
    "deep/er/b.log": "b",
    "deep/er/important.log": "i",
    "node_modules/pkg/index.js": "m",
    "docs/readme.md": "r",
    "docs/keep.md": "k",
  };

  it.each([
    { name: "an excluded folder", file: "secrets/key", changes: false },
    { name: "a ** pattern", file: "deep/er/b.log", changes: false },
    { name: "a file in a skipped folder", file: "node_modules/pkg/index.js", changes: false },
    { name: "a new file in a skipped folder", file: "node_modules/other/x.js", changes: false },
    { name: "a file excluded by a wildcard", file: "docs/readme.md", changes: false },
    { name: "a file re-included by !", file: "docs/keep.md", changes: true },
    { name: "a file re-included by !**", file: "deep/er/important.log", changes: true },
    { name: "a file that is not excluded", file: "app.js", changes: true },
  ])("$name: changes=$changes", async ({ file, changes }) => {
    const dir = gitRepo(files);
    const before = await hashBoth(dir);
    writeFiles(dir, { [file]: "edited" });
    expect((await hashBoth(dir)) !== before).toBe(changes);
  });

  it("takes <Dockerfile>.dockerignore over the context's .dockerignore", async () => {
    const dir = tempDir();
    writeFiles(dir, {
      ".dockerignore": "a.txt\n",
      "docker/app.Dockerfile": "FROM scratch\n",
      "docker/app.Dockerfile.dockerignore": "b.txt\n",
    });
    const dockerfile = path.join(dir, "docker/app.Dockerfile");
    expect(await readDockerignore(dir, dockerfile)).toEqual(["b.txt"]);
    expect(await readDockerignore(dir)).toEqual(["a.txt"]);
    expect(await readDockerignore(path.join(dir, "docker"))).toBeUndefined();
    const before = await hashContext(dir, { dockerfile });
    writeFiles(dir, { "b.txt": "x" });
    expect(await hashContext(dir, { dockerfile })).toBe(before);
    writeFiles(dir, { "a.txt": "x" });
    expect(await hashContext(dir, { dockerfile })).not.toBe(before);
  });
});

describe("listContextFiles", () => {
  it("lists what the engine receives, sorted, links as links, with the exec bit", async () => {
    const dir = tempDir();
    writeFiles(dir, {
      "b.txt": "b",
      "a/z.sh": "#!/bin/sh",
      "a/b.txt": "",
      "ignored/x": "",
      "keep/.gitignore": "*\n",
      ".dockerignore": "# comment\n\nignored\n",
    });
    chmod(dir, "a/z.sh", 0o755);
    link(dir, "link", "/etc/passwd");
    link(dir, "dirlink", "a");
    const files = await listContextFiles(dir, await readDockerignore(dir));
    expect(files.map(({ path, type, executable }) => ({ path, type, executable }))).toEqual([
      { path: ".dockerignore", type: "file", executable: false },
      { path: "a/b.txt", type: "file", executable: false },
      { path: "a/z.sh", type: "file", executable: true },
      { path: "b.txt", type: "file", executable: false },
      { path: "dirlink", type: "symlink", executable: false },
      { path: "keep/.gitignore", type: "file", executable: false },
      { path: "link", type: "symlink", executable: false },
    ]);
  });
});

describe("a git index limited to the folders builds read", () => {
  it("lists only those folders, and a folder outside them is walked: same hashes either way", async () => {
    const repo = gitRepo({
      "api/Dockerfile": "FROM scratch\nCOPY . /\n",
      "api/main.txt": "api",
      "web/index.txt": "web",
      ".gitignore": "node_modules/\n",
    });
    writeFiles(repo, {
      "node_modules/big/index.js": "ignored by git, not by Docker",
      "api/untracked.txt": "u",
    });
    const api = path.join(repo, "api");
    const web = path.join(repo, "web");
    const scoped = await loadGitIndex(api, new Map(), [api], 0);
    if (scoped?.kind !== "listing") throw new Error("git's listing was asked for");
    const listed = scoped.records.map((r) => r.path);
    expect(listed.filter((p) => p.startsWith("api/")).sort()).toEqual([
      "api/Dockerfile",
      "api/main.txt",
      "api/untracked.txt",
    ]);
    expect(listed.filter((p) => p.startsWith("web/") || p.startsWith("node_modules/"))).toEqual([]);
    expect(await hashContext(api, { git: scoped })).toBe(await hashContext(api));
    // web is outside the scope: the index says nothing of it, so it is walked, never hashed as empty
    expect(await hashContext(web, { git: scoped })).toBe(await hashContext(web));
    expect(await hashContext(repo, { git: scoped })).toBe(await hashContext(repo));
  });

  it("keeps only those folders' entries when it reads the index itself, and walks the others", async () => {
    const repo = gitRepo({ "api/main.txt": "api", "web/index.txt": "web", "top.txt": "t" });
    settle(repo);
    const api = path.join(repo, "api");
    const web = path.join(repo, "web");
    const scoped = await loadGitIndex(api, new Map(), [api]);
    if (scoped?.kind !== "index") throw new Error("the index was to be read here");
    expect([...scoped.entries.keys()]).toEqual(["api/main.txt"]);
    expect(await hashContext(api, { git: scoped })).toBe(await hashContext(api));
    expect(await hashContext(web, { git: scoped })).toBe(await hashContext(web));
    expect(await hashContext(repo, { git: scoped })).toBe(await hashContext(repo));
  });

  it("takes a blob id from git's index only while the file's recorded stat data still match", async () => {
    const dir = tempDir();
    writeFiles(dir, { "a.txt": "a", "b.txt": "b" });
    const files = await listContextFiles(dir, undefined);
    const recorded = "f".repeat(40);
    const split = (ns: bigint): [number, number] => [
      Number(ns / 1_000_000_000n),
      Number(ns % 1_000_000_000n),
    ];
    const entry = (file: (typeof files)[number], over: Partial<IndexEntry> = {}): IndexEntry => ({
      path: file.path,
      mode: 0o100644,
      id: recorded,
      ctime: split(file.stat.ctimeNs),
      mtime: split(file.stat.mtimeNs),
      ino: Number(file.stat.ino & 0xffffffffn),
      size: Number(file.stat.size),
      untrusted: false,
      ...over,
    });
    const [a, b] = files as [(typeof files)[number], (typeof files)[number]];
    const index: GitIndexEntries = {
      kind: "index",
      root: dir,
      entries: new Map([
        ["a.txt", entry(a)],
        ["b.txt", entry(b, { size: 99 })],
      ]),
      indexMtimeSeconds: Number.MAX_SAFE_INTEGER,
    };
    const entries = await contextEntries(dir, undefined, index);
    expect(entries.map((e) => [e.path, e.id])).toEqual([
      ["a.txt", recorded],
      ["b.txt", await fileBlobId(path.join(dir, "b.txt"))],
    ]);
  });

  it("asks git instead when the folders hold more tracked files than it reads itself", async () => {
    const repo = gitRepo({ "a.txt": "a", "b.txt": "b", "c.txt": "c" });
    expect((await loadGitIndex(repo, undefined, undefined, 3))?.kind).toBe("index");
    expect((await loadGitIndex(repo, undefined, undefined, 2))?.kind).toBe("listing");
  });
});
