// TEMPORARY probe
const t0 = performance.now();
export function phase(name: string): void {
  if (!process.env.PHASES) return;
  if (process.env.PHASES === "gc") (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  process.stderr.write(`PHASE ${name.padEnd(22)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms rss ${(m.rss / 1e6).toFixed(0)} heap ${(m.heapUsed / 1e6).toFixed(0)}/${(m.heapTotal / 1e6).toFixed(0)}\n`);
}
