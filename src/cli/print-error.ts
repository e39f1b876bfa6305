import { DockbuildError, formatProblem } from "../errors.js";

/** Print an error for a person (never a stack trace for a known error) and return the exit code. */
export function printError(
  error: unknown,
  write: (text: string) => void = (t) => process.stderr.write(t),
): number {
  if (error instanceof DockbuildError) {
    if (error.problems.length > 1) {
      write(`dockbuild: ${error.problems.length} problems found, nothing was built:\n`);
      for (const p of error.problems) {
        write(`  ${formatProblem(p)}\n`);
        if (p.hint) write(`    hint: ${p.hint}\n`);
      }
    } else {
      write(`dockbuild: ${error.message}\n`);
      const hint = error.hint ?? error.problems[0]?.hint;
      if (hint) write(`  hint: ${hint}\n`);
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(`dockbuild: internal error (please report it):\n${message}\n`);
  return 70;
}
