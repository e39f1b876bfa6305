/** How many lines of a failing command's output a report keeps, wherever a failure is shown. */
export const LAST_LINES = 20;

/** The last non-blank lines of a command's output, for a failure report. */
export function lastLines(output: string, count = LAST_LINES): string[] {
  return output
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .slice(-count);
}
