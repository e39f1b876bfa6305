import { describe, expect, it, vi } from "vitest";

// Each test loads the module afresh: its switches are per process.
async function fresh() {
  vi.resetModules();
  const setFlags = vi.fn();
  vi.doMock("node:v8", () => ({ default: { setFlagsFromString: setFlags } }));
  const module = await import("../../src/util/heap-growth.js");
  return { ...module, setFlags };
}

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
