import { DockbuildError, formatProblem, type Problem } from "../errors.js";
import { capLines } from "../report/warnings.js";

/** At most this many lines for one error, whatever the input: the first problems, then how many more. */
export const MAX_ERROR_LINES = 15;

/** A single printed line longer than this is cut (a 5 MB image name must not fill the terminal). */
const MAX_LINE_CHARS = 400;

export interface PrintErrorOptions {
  /** Whether the command builds: only then does "nothing was built" tell the user something. */
  builds?: boolean;
}

/** Print an error for a person (never a stack trace for a known error) and return the exit code. */
export function printError(
  error: unknown,
  write: (text: string) => void = (t) => process.stderr.write(t),
  options: PrintErrorOptions = {},
): number {
  if (error instanceof DockbuildError) {
    for (const w of capLines(error.warnings, "warnings")) write(`warning: ${w}\n`);
    for (const line of formatError(error, options)) write(`${line}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(`dockbuild: internal error (please report it):\n${message}\n`);
  return 70;
}

/**
 * The lines of a known error, at most MAX_ERROR_LINES: as many problems as fit, each with its hint, then
 * "… and 57 more problems". A multi-line message keeps its first lines.
 */
export function formatError(error: DockbuildError, options: PrintErrorOptions = {}): string[] {
  const problems = error.problems;
  if (problems.length <= 1) {
    const hint = error.hint ?? problems[0]?.hint;
    const lines = [...split(`dockbuild: ${error.message}`), ...(hint ? split(`  hint: ${hint}`) : [])];
    return fit(lines, MAX_ERROR_LINES);
  }
  const suffix = options.builds ? ", nothing was built" : "";
  const out = [`dockbuild: ${problems.length} problems found${suffix}:`];
  let shown = 0;
  for (const problem of problems) {
    // keep a line for "… and N more" while problems remain after this one
    const room = MAX_ERROR_LINES - out.length - (problems.length - shown > 1 ? 1 : 0);
    if (room <= 0) break;
    out.push(...problemLines(problem).slice(0, room));
    shown++;
  }
  const more = problems.length - shown;
  if (more > 0) out.push(`  … and ${more} more problem${more === 1 ? "" : "s"}`);
  return out;
}

function problemLines(problem: Problem): string[] {
  return [
    ...split(formatProblem(problem)).map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`)),
    ...(problem.hint ? split(`    hint: ${problem.hint}`) : []),
  ];
}

/** Lines of a text, each cut to MAX_LINE_CHARS. */
function split(text: string): string[] {
  return text
    .split("\n")
    .map((line) =>
      line.length > MAX_LINE_CHARS
        ? `${line.slice(0, MAX_LINE_CHARS)}… (${line.length - MAX_LINE_CHARS} more characters)`
        : line,
    );
}

/** At most `max` lines, the last saying how many were left out. */
function fit(lines: string[], max: number): string[] {
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, Math.max(1, max - 1));
  return [...kept, `  … (${lines.length - kept.length} more lines)`];
}
