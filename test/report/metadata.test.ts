import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildMetadata, writeMetadataFile } from "../../src/report/metadata.js";
import { jobs, results } from "./helpers.js";

describe("buildMetadata", () => {
  it("gives every service an entry, a merged build's others pointing at the primary", () => {
    expect(buildMetadata(results)).toEqual({
      base: {
        status: "built",
        imageId: "sha256:aaa",
        tags: ["acme/base:dev"],
        durationMs: 3100,
        sizeBytes: 4_200_000,
        target: null,
      },
      api: {
        status: "built",
        imageId: "sha256:bbb",
        tags: ["acme/api:dev", "acme/worker:dev"],
        durationMs: 12_345,
        sizeBytes: 12_400_000,
        target: "production",
      },
      worker: {
        status: "built",
        imageId: "sha256:bbb",
        tags: ["acme/api:dev", "acme/worker:dev"],
        durationMs: 12_345,
        sizeBytes: 12_400_000,
        target: "production",
        sameBuildAs: "api",
      },
      web: {
        status: "failed",
        imageId: null,
        tags: ["acme/web:dev"],
        durationMs: 2950,
        sizeBytes: null,
        target: "dev",
        error: [
          " > [3/4] RUN npm run build:",
          "------",
          "error: module b is broken",
          "executor failed running [/bin/sh -c npm run build]: exit code: 3",
        ],
      },
      docs: {
        status: "skipped",
        imageId: null,
        tags: ["acme/docs:dev"],
        durationMs: 0,
        sizeBytes: null,
        target: null,
        reason: "web failed",
      },
      cli: {
        status: "up-to-date",
        imageId: "sha256:ccc",
        tags: ["acme/cli:dev"],
        durationMs: 40,
        sizeBytes: 950,
        target: null,
      },
      e2e: {
        status: "cancelled",
        imageId: null,
        tags: ["acme/e2e:dev"],
        durationMs: 0,
        sizeBytes: null,
        target: "test",
      },
    });
  });

  it("lets only secret ids through, even when the engine's error quotes a secret's source", () => {
    const failed = {
      job: jobs.api,
      status: "failed" as const,
      durationMs: 1,
      steps: 1,
      cachedSteps: 0,
      errorLines: ["open /home/dev/.npmrc: permission denied", "NPM_TOKEN is not set (NPM_TOKENS is fine)"],
    };
    const meta = buildMetadata([failed]);
    const text = JSON.stringify(meta);
    expect(text).not.toContain("/home/dev/.npmrc");
    expect(text).not.toMatch(/\bNPM_TOKEN\b/);
    expect(meta.api?.error).toEqual([
      "open <secret npmrc>: permission denied",
      "<secret token> is not set (NPM_TOKENS is fine)",
    ]);
    expect(Object.keys(meta.api ?? {})).not.toContain("secrets");
  });
});

describe("writeMetadataFile", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "dockbuild-meta-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("replaces the file with valid JSON and leaves no temporary file behind", async () => {
    const file = path.join(dir, "meta.json");
    await writeFile(file, "old content");
    const data = buildMetadata(results);
    await writeMetadataFile(file, data);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(data);
    expect(await readdir(dir)).toEqual(["meta.json"]);
  });

  it("creates the folder when it is missing", async () => {
    const file = path.join(dir, "out", "nested", "meta.json");
    await writeMetadataFile(file, { a: 1 });
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ a: 1 });
  });

  it("keeps the old file whole and removes the temporary one when the write fails", async () => {
    const file = path.join(dir, "meta.json");
    await writeFile(file, '{"old":true}');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(writeMetadataFile(file, circular)).rejects.toThrow();
    const target = path.join(dir, "is-a-dir");
    await mkdir(path.join(target, "child"), { recursive: true });
    await expect(writeMetadataFile(target, { a: 1 })).rejects.toThrow();
    expect(await readFile(file, "utf8")).toBe('{"old":true}');
    expect((await readdir(dir)).sort()).toEqual(["is-a-dir", "meta.json"]);
  });

  it("never shows a reader a half-written file while it rewrites it", async () => {
    // A reader on another thread parses the file in a tight loop while it is rewritten; a plain writeFile
    // (truncate, then write) fails this every time, a temporary file renamed into place never does.
    const file = path.join(dir, "meta.json");
    const big = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`service-${i}`, { n: i }]));
    await writeMetadataFile(file, big);
    const stop = new SharedArrayBuffer(4);
    const reader = new Worker(
      `const { readFileSync } = require("node:fs");
       const { parentPort, workerData } = require("node:worker_threads");
       const stop = new Int32Array(workerData.stop);
       let bad = 0, reads = 0;
       while (Atomics.load(stop, 0) === 0) {
         reads++;
         try { JSON.parse(readFileSync(workerData.file, "utf8")); } catch { bad++; }
       }
       parentPort.postMessage({ bad, reads });`,
      { eval: true, workerData: { file, stop } },
    );
    const counts = new Promise<{ bad: number; reads: number }>((resolve) => reader.once("message", resolve));
    for (let i = 0; i < 30; i++) await writeMetadataFile(file, { ...big, writer: i });
    Atomics.store(new Int32Array(stop), 0, 1);
    const { bad, reads } = await counts;
    await reader.terminate();
    expect(reads).toBeGreaterThan(0);
    expect(bad).toBe(0);
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ writer: 29 });
    expect(await readdir(dir)).toEqual(["meta.json"]);
  });
});
