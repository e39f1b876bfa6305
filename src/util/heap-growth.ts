import { createRequire } from "node:module";
import type * as V8 from "node:v8";

/** Input of this size or more (a compose file's text, in characters) makes the heap grow more slowly. */
export const LARGE_INPUT_CHARS = 1024 * 1024;
/** How much V8 lets the old generation grow past what survived a full collection, for large inputs (default ~100–300). */
export const LARGE_INPUT_HEAP_GROWING_PERCENT = 30;

let enabled = false;
let applied = false;

/**
 * Let `noteInputSize` slow the heap's growth in this process: the command line does, a program that embeds the
 * API keeps its own V8 settings. Loading a project of thousands of services leaves a live heap of about 120 MB
 * and V8 lets it grow three to four times that between full collections (a 20,000-service file peaked at
 * 430–480 MB); growing by 30% keeps it near 300 MB at about the same time. Small projects never reach the size
 * where it matters, and their start-up stays as it is (the flag costs a no-op run of 40 services 40 ms).
 */
export function allowHeapGrowthTuning(): void {
  enabled = true;
}

/** Told the size of each input read; the first large one (see `LARGE_INPUT_CHARS`) slows the heap's growth. */
export function noteInputSize(chars: number): void {
  if (!enabled || applied || chars < LARGE_INPUT_CHARS) return;
  applied = true;
  // Loaded here, not imported: node:v8 brings Node's heap and promise-hook modules, a few ms of every start-up.
  const v8: typeof V8 = createRequire(import.meta.url)("node:v8");
  v8.setFlagsFromString(`--heap-growing-percent=${LARGE_INPUT_HEAP_GROWING_PERCENT}`);
}

/** Whether the heap's growth was slowed in this process (for tests). */
export function heapGrowthSlowed(): boolean {
  return applied;
}
