import type { Reporter } from "./reporter.js";

/** `--progress quiet`: nothing while building but warnings; the summary is printed by the command afterwards. */
export function createQuietReporter(
  options: { write(text: string): void } = { write: (text) => process.stderr.write(text) },
): Reporter {
  return {
    warning: (message) => options.write(`warning: ${message}\n`),
  };
}
