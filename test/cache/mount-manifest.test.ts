import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  countFiles,
  MANIFEST_FILE,
  mergeManifest,
  parseManifest,
  readManifest,
  writeManifest,
  type CacheMountManifest,
  type ManifestEntry,
} from "../../src/cache/mount-manifest.js";

const entry = (id: string, folder: string, over: Partial<ManifestEntry> = {}): ManifestEntry => ({
  id,
  target: id,
  sharing: "shared",
  folder,
  services: ["api"],
  files: 1,
  bytes: 10,
  ...over,
});

describe("parseManifest", () => {
  test("a manifest", () => {
    const manifest: CacheMountManifest = {
      version: 1,
      exportedAt: "2026-01-01T00:00:00.000Z",
      mounts: [entry("/a", "a-1")],
    };
    expect(parseManifest(JSON.stringify(manifest))).toEqual({ ok: true, manifest });
  });
  test.each([
    ["not JSON", "{", /^not JSON/],
    ["another version", JSON.stringify({ version: 2, exportedAt: "x", mounts: [] }), /^version:/],
    [
      "a bad entry",
      JSON.stringify({ version: 1, exportedAt: "x", mounts: [{ ...entry("/a", "a"), files: -1 }] }),
      /^mounts\.0\.files:/,
    ],
  ])("%s is an error, never cast", (_name, text, error) => {
    const parsed = parseManifest(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toMatch(error);
  });
});

describe("mergeManifest", () => {
  const previous: CacheMountManifest = {
    version: 1,
    exportedAt: "then",
    mounts: [entry("/a", "a-1", { files: 5 }), entry("/b", "b-2"), entry("/gone", "gone-3")],
  };
  test("the new entries first, then earlier mounts whose folders are still there", () => {
    expect(mergeManifest(previous, [entry("/a", "a-1", { files: 7 })], (f) => f !== "gone-3", "now")).toEqual(
      { version: 1, exportedAt: "now", mounts: [entry("/a", "a-1", { files: 7 }), entry("/b", "b-2")] },
    );
  });
  test("no earlier manifest", () => {
    expect(mergeManifest(undefined, [], () => true, "now")).toEqual({
      version: 1,
      exportedAt: "now",
      mounts: [],
    });
  });
});

describe("on disk", () => {
  const dirs: string[] = [];
  const tempDir = async (name: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), name));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test("write then read; a missing manifest is no manifest, a broken one an error", async () => {
    const dir = await tempDir("dockbuild-manifest-");
    expect(await readManifest(dir)).toEqual({});
    const manifest: CacheMountManifest = { version: 1, exportedAt: "now", mounts: [entry("/a", "a-1")] };
    await writeManifest(dir, manifest);
    expect(await readManifest(dir)).toEqual({ manifest });
    expect(JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), "utf8"))).toEqual(manifest);
    await writeFile(path.join(dir, MANIFEST_FILE), "[]");
    expect((await readManifest(dir)).error).toContain(MANIFEST_FILE);
  });

  test("countFiles: every non-folder, bytes of the regular files, links not followed", async () => {
    const dir = await tempDir("dockbuild-count-");
    await mkdir(path.join(dir, "a/b"), { recursive: true });
    await writeFile(path.join(dir, "a/one"), "12345");
    await writeFile(path.join(dir, "a/b/two"), "123");
    await symlink("/etc/passwd", path.join(dir, "link"));
    await mkdir(path.join(dir, "empty"));
    expect(await countFiles(dir)).toEqual({ files: 3, bytes: 8 });
  });
});
