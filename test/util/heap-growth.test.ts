import { createRequire } from "node:module";
import type * as V8 from "node:v8";
import { afterEach, describe, expect, it, vi } from "vitest";

// The module loads node:v8 with require() when it first needs it: Node's one v8 module, whose method is
// replaced here so that the test process keeps its own heap settings.
const v8: typeof V8 = createRequire(import.meta.url)("node:v8");

// Each test loads the module afresh: its switches are per process.
async function fresh() {
  vi.resetModules();
  const setFlags = vi.spyOn(v8, "setFlagsFromString").mockImplementation(() => {});
  const module = await import("../../src/util/heap-growth.js");
  return { ...module, setFlags };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("heap growth for large inputs", () => {
  it("is left alone unless the command line allowed it", async () => {
    const { noteInputSize, heapGrowthSlowed, setFlags, LARGE_INPUT_CHARS } = await fresh();
    noteInputSize(LARGE_INPUT_CHARS * 4);
    expect(heapGrowthSlowed()).toBe(false);
    expect(setFlags).not.toHaveBeenCalled();
  });

  it("is left alone for inputs under the threshold", async () => {
    const { allowHeapGrowthTuning, noteInputSize, setFlags, LARGE_INPUT_CHARS } = await fresh();
    allowHeapGrowthTuning();
    noteInputSize(LARGE_INPUT_CHARS - 1);
    expect(setFlags).not.toHaveBeenCalled();
  });

  it("is slowed once, at the first large input", async () => {
    const { allowHeapGrowthTuning, noteInputSize, heapGrowthSlowed, setFlags, LARGE_INPUT_CHARS } =
      await fresh();
    allowHeapGrowthTuning();
    noteInputSize(LARGE_INPUT_CHARS);
    noteInputSize(LARGE_INPUT_CHARS * 2);
    expect(heapGrowthSlowed()).toBe(true);
    expect(setFlags).toHaveBeenCalledTimes(1);
    expect(setFlags).toHaveBeenCalledWith("--heap-growing-percent=30");
  });
});
