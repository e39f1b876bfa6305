import { readFileSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isSettled, loadBlobIdCache } from "../../src/inputs/blob-cache.js";
import { fileBlobId } from "../../src/inputs/blob-id.js";
import { listContextFiles, type ContextFile } from "../../src/inputs/context-files.js";
import { readContextDigests } from "../../src/inputs/read-contexts.js";
import { projectStateFile } from "../../src/util/state-file.js";
import { cleanTempDirs, tempDir, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

const stateEnv = () => ({ DOCKBUILD_STATE_DIR: tempDir("dockbuild-state-") });
const HOUR = 3_600_000;
const PROJECT = "/work/acme";

/** The context's files, written an hour ago (long settled). */
async function settledFiles(files: Record<string, string>): Promise<{ dir: string; files: ContextFile[] }> {
  const dir = tempDir();
  writeFiles(dir, files);
  const past = new Date(Date.now() - HOUR);
  for (const file of Object.keys(files)) utimesSync(path.join(dir, file), past, past);
  return { dir, files: await listContextFiles(dir, undefined) };
}

describe("isSettled", () => {
  const file = (mtimeMs: number, ctimeMs: number) =>
    ({
      stat: { mtimeNs: BigInt(mtimeMs) * 1_000_000n, ctimeNs: BigInt(ctimeMs) * 1_000_000n },
    }) as ContextFile;
  it.each([
    { name: "changed long before it was read", m: 1_000, c: 1_000, read: 10_000, settled: true },
    {
      name: "written within the second before it was read",
      m: 9_500,
      c: 9_500,
      read: 10_000,
      settled: false,
    },
    {
      name: "content old, metadata just changed (chmod): only content counts",
      m: 1_000,
      c: 9_900,
      read: 10_000,
      settled: true,
    },
    { name: "a second and a bit before", m: 8_999, c: 8_999, read: 10_000, settled: true },
  ])("$name: $settled", ({ m, c, read, settled }) => {
    expect(isSettled(file(m, c), read)).toBe(settled);
  });
});

describe("the blob id cache", () => {
  it("vouches for a file whose stat data are those it was read with, in a later run", async () => {
    const env = stateEnv();
    const { dir, files } = await settledFiles({ "a.txt": "a", "b.txt": "b" });
    const [a, b] = files as [ContextFile, ContextFile];
    const first = await loadBlobIdCache(PROJECT, env);
    expect(first.lookup(a)).toBeUndefined();
    first.record(a, "id-of-a", Date.now());
    first.record(b, "id-of-b", Date.now());
    await first.save();

    const second = await loadBlobIdCache(PROJECT, env);
    expect(second.lookup(a)).toBe("id-of-a");
    writeFileSync(path.join(dir, "b.txt"), "B");
    const [, changed] = (await listContextFiles(dir, undefined)) as [ContextFile, ContextFile];
    expect(second.lookup(changed), "same size, new content: new times").toBeUndefined();
  });

  it("does not record a file read within a second of its last change", async () => {
    const env = stateEnv();
    const dir = tempDir();
    writeFiles(dir, { "fresh.txt": "x" });
    const [fresh] = (await listContextFiles(dir, undefined)) as [ContextFile];
    const first = await loadBlobIdCache(PROJECT, env);
    first.record(fresh, "id", Date.now());
    await first.save();
    expect((await loadBlobIdCache(PROJECT, env)).lookup(fresh)).toBeUndefined();
  });

  it.each([
    { name: "not JSON", content: () => "{" },
    { name: "of another shape", content: () => '{"code":"x","files":{"/a":[1,2]}}' },
    {
      name: "written by another build of dockbuild",
      content: (text: string) => text.replace(/"code": ?"/, '"code":"other-'),
    },
  ])("trusts nothing from a file $name", async ({ content }) => {
    const env = stateEnv();
    const { files } = await settledFiles({ "a.txt": "a" });
    const [a] = files as [ContextFile];
    const first = await loadBlobIdCache(PROJECT, env);
    first.record(a, "id-of-a", Date.now());
    await first.save();
    const stored = path.join(env.DOCKBUILD_STATE_DIR, projectStateFile(PROJECT, "blob-ids.json"));
    writeFileSync(stored, content(readFileSync(stored, "utf8")));
    expect((await loadBlobIdCache(PROJECT, env)).lookup(a)).toBeUndefined();
  });

  it("gives readContextDigests the same digests as reading every file, and follows every change", async () => {
    const env = stateEnv();
    const { dir } = await settledFiles({
      Dockerfile: "FROM scratch\n",
      "src/a.txt": "one",
      "src/b.txt": "two",
    });
    const request = [{ dir, dockerfile: path.join(dir, "Dockerfile") }];
    const digest = async (options = {}) => [...(await readContextDigests(request, options)).values()][0];
    const plain = await digest();
    expect(await digest({ env, project: PROJECT })).toEqual(plain);
    expect(await digest({ env, project: PROJECT }), "answered from the cache").toEqual(plain);
    expect(
      readFileSync(path.join(env.DOCKBUILD_STATE_DIR, projectStateFile(PROJECT, "blob-ids.json")), "utf8"),
    ).toContain(await fileBlobId(path.join(dir, "src/a.txt")));
    writeFileSync(path.join(dir, "src/a.txt"), "ONE");
    const changed = await digest({ env, project: PROJECT });
    expect(changed).not.toEqual(plain);
    expect(changed).toEqual(await digest());
  });
});
