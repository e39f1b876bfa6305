import type { Reporter } from "./reporter.js";
import { createJsonReporter } from "./json-reporter.js";
import { createPlainReporter } from "./plain-reporter.js";
import { createQuietReporter } from "./quiet-reporter.js";
import { createTtyReporter } from "./tty-reporter.js";

/** The `--progress` choices. */
export type ProgressMode =
  /** the live view on a terminal, plain logs anywhere else */
  | "auto"
  /** the live listr2 view, even where it was not detected */
  | "tty"
  /** a prefixed line per engine line (grouped on GitHub Actions) */
  | "plain"
  /** warnings only; the summary still follows */
  | "quiet"
  /** an NDJSON event stream on stdout */
  | "json";

/** Whether `CI` says this is a CI machine (`CI=true`, `CI=1`; unset, empty, `false` and `0` say no). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}

/** What `--progress` resolves to once the terminal and the environment are known. */
export type ReporterKind = "tty" | "plain" | "github" | "quiet" | "json";

/** `auto` picks the live view only for a person at a terminal, and grouped logs on GitHub Actions. */
export function resolveProgress(
  progress: ProgressMode,
  env: NodeJS.ProcessEnv,
  isTTY: boolean,
): ReporterKind {
  const plain = env.GITHUB_ACTIONS === "true" ? "github" : "plain";
  switch (progress) {
    case "auto":
      return isTTY && !isCi(env) ? "tty" : plain;
    case "plain":
      return plain;
    default:
      return progress;
  }
}

/** The reporter for `--progress`; plain and json progress go to `stdout`, warnings of quiet to stderr. */
export function chooseReporter(
  progress: ProgressMode,
  env: NodeJS.ProcessEnv,
  stdout: NodeJS.WriteStream,
): Reporter {
  const write = (text: string) => void stdout.write(text);
  const verbose = env.RUNNER_DEBUG === "1";
  switch (resolveProgress(progress, env, stdout.isTTY === true)) {
    case "tty":
      return createTtyReporter({ stream: stdout });
    case "plain":
      return createPlainReporter({ write, verbose });
    case "github":
      return createPlainReporter({ write, verbose, github: true });
    case "quiet":
      return createQuietReporter();
    case "json":
      return createJsonReporter({ write });
  }
}
