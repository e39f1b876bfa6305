/** Where a problem is: a file, and the 1-based line when one is known. */
export interface SourceLocation {
  file: string;
  line?: number;
}

/** One problem found in the user's input: where, what, and how to fix it. */
export interface Problem {
  location?: SourceLocation;
  message: string;
  hint?: string;
}

export type ErrorCode =
  /** config, compose, Dockerfile, unknown service, cycle: nothing was built */
  | "BAD_INPUT"
  /** one or more builds failed */
  | "BUILD_FAILED"
  /** no BuildKit engine could be used */
  | "NO_ENGINE"
  /** the run was stopped by SIGINT, SIGTERM or SIGHUP */
  | "INTERRUPTED"
  /** the reader of dockbuild's output went away (a closed pipe): stopped as SIGPIPE would stop a program */
  | "OUTPUT_CLOSED";

const EXIT_CODES: Record<ErrorCode, number> = {
  BAD_INPUT: 2,
  BUILD_FAILED: 1,
  NO_ENGINE: 3,
  INTERRUPTED: 130,
  OUTPUT_CLOSED: 141,
};

/** The exit status that goes with an error code (README, Contracts). */
export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[code];
}

export interface DockbuildErrorOptions {
  hint?: string;
  cause?: unknown;
  problems?: Problem[];
  /** Warnings found before the error, shown before it (an unset variable that then made a value invalid). */
  warnings?: string[];
}

/** Every error dockbuild means to show a person: a code that sets the exit status, a hint, the cause kept. */
export class DockbuildError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly hint?: string;
  readonly problems: Problem[];
  readonly warnings: string[];

  constructor(code: ErrorCode, message: string, options: DockbuildErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DockbuildError";
    this.code = code;
    this.exitCode = EXIT_CODES[code];
    this.hint = options.hint;
    this.problems = options.problems ?? [];
    this.warnings = options.warnings ?? [];
  }
}

/** Bad input found before anything was built (exit 2). Carries every problem found, not just the first. */
export class InputError extends DockbuildError {
  constructor(problems: Problem[], message?: string, warnings: string[] = []) {
    const first = problems[0];
    super("BAD_INPUT", message ?? (first ? formatProblem(first) : "invalid input"), {
      problems,
      hint: problems.length === 1 ? first?.hint : undefined,
      warnings,
    });
    this.name = "InputError";
  }
}

/** Shorthand for an input error with a single problem. */
export function inputError(message: string, location?: SourceLocation, hint?: string): InputError {
  return new InputError([{ message, location, hint }]);
}

/** `file:line: message` — the form every editor and CI log links. */
export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return "";
  return location.line === undefined ? location.file : `${location.file}:${location.line}`;
}

export function formatProblem(problem: Problem): string {
  const where = formatLocation(problem.location);
  return where ? `${where}: ${problem.message}` : problem.message;
}
