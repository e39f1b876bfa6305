import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { readInputFile } from "../../src/util/read-input-file.js";
import { makeProject } from "../helpers/run-cli.js";

describe("readInputFile: a file a user named, read without trusting it", () => {
  test("a regular file is read whole", async () => {
    const dir = makeProject({ "a.yaml": "services: {}\n" });
    expect(await readInputFile(path.join(dir, "a.yaml"), 100)).toEqual({ text: "services: {}\n" });
  });

  test("a file that reports size 0 but has content (/proc) is read up to the limit", async () => {
    const result = await readInputFile("/proc/self/status", 1024 * 1024);
    expect("text" in result && result.text).toMatch(/^Name:/);
    expect(await readInputFile("/proc/self/status", 10)).toEqual({
      failure: "too-large",
      reason: "is larger than 10 bytes",
    });
  });

  test.each([
    ["/dev/zero", "not-regular", "is not a regular file (a character device)"],
    ["/dev/null", "not-regular", "is not a regular file (a character device)"],
    ["/nope/compose.yaml", "not-found", "not found"],
  ])("%s: %s", async (file, failure, reason) => {
    expect(await readInputFile(file, 100)).toEqual({ failure, reason });
  });

  test("a folder, a FIFO, a symlink loop, a path through a file and a file over the limit are each named", async () => {
    const dir = makeProject({ "big.yaml": "x".repeat(101), "file.txt": "" });
    mkdirSync(path.join(dir, "folder"));
    execFileSync("mkfifo", [path.join(dir, "fifo")]);
    symlinkSync("loop", path.join(dir, "loop"));
    const read = async (name: string) => readInputFile(path.join(dir, name), 100);
    expect(await read("folder")).toEqual({ failure: "folder", reason: "is a folder" });
    expect(await read("fifo")).toEqual({ failure: "not-regular", reason: "is not a regular file (a FIFO)" });
    expect(await read("loop")).toEqual({
      failure: "symlink-loop",
      reason: "cannot be read (a symbolic link that loops back on itself)",
    });
    expect(await read("file.txt/below")).toEqual({ failure: "not-found", reason: "not found" });
    expect(await read("big.yaml")).toEqual({ failure: "too-large", reason: "is larger than 100 bytes" });
    writeFileSync(path.join(dir, "big.yaml"), "x".repeat(100));
    expect(await read("big.yaml")).toEqual({ text: "x".repeat(100) });
  });
});
