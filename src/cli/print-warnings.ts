import { capLines } from "../report/warnings.js";

/**
 * The warnings of loading and planning, on stderr as `warning: …`, each once and at most twenty: every
 * command shows them, so that a CI job that only runs `matrix` or `ls --json` sees them too, and stdout stays
 * what a program reads.
 */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of capLines(warnings, "warnings")) process.stderr.write(`warning: ${w}\n`);
}
