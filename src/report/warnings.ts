/** How many warnings a command prints before it says how many more there are. */
export const MAX_PRINTED_WARNINGS = 20;

/**
 * The lines to print, each once (the same warning from two sources is one line), at most `max` of them and
 * then "… and N more warnings", so that a generated input with thousands of problems cannot flood a terminal.
 */
export function capLines(lines: readonly string[], what: string, max = MAX_PRINTED_WARNINGS): string[] {
  const unique = [...new Set(lines)];
  if (unique.length <= max) return unique;
  return [...unique.slice(0, max), `… and ${unique.length - max} more ${what}`];
}
