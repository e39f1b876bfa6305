import { appendFile } from "node:fs/promises";
import { DockbuildError } from "../../errors.js";
import { killAllChildren } from "../../exec/index.js";
import { build, describeBuild, runFailure, type BuildOptions } from "../../session/index.js";
import { toBuildOptions, type BuildCliOptions } from "../build-options.js";
import type { OutputWatch } from "../closed-output.js";
import type { GlobalOptions } from "../global-options.js";
import { printWarnings } from "../print-warnings.js";

/** Ctrl-C, `kill`, and a terminal that was closed: each stops the run the same way. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** `dockbuild [all|SERVICE...]`: flags to options, the core runs, the result printed; main sets the exit code. */
export async function runBuildCommand(
  names: string[],
  flags: GlobalOptions & BuildCliOptions,
  output: OutputWatch,
): Promise<void> {
  // Signals are ours from the first moment: a SIGTERM during loading or engine detection must also stop the
  // children already started and end with 130, not kill dockbuild and orphan them. Output that nobody reads
  // any more stops the run too (see closed-output.ts).
  const interrupt = new AbortController();
  let interrupts = 0;
  let outputClosedFirst = false;
  const stop = () => {
    interrupts += 1;
    interrupt.abort();
    // builds stop through the abort signal; this also stops the short-lived engine queries and git
    killAllChildren(interrupts > 1 ? 0 : 3000);
  };
  const onSignal = () => stop();
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const forgetOutput = output.onClosed(() => {
    // A terminal that hung up fails writes too: then its SIGHUP is what stops the run.
    if (interrupts === 0 && output.closed()?.hungUp === false) outputClosedFirst = true;
    stop();
  });
  try {
    const options = toBuildOptions(names, flags);
    if (flags.dryRun) return await printDryRun({ ...options, signal: interrupt.signal });
    const { chooseReporter } = await import("../../report/select-reporter.js");
    const reporter = chooseReporter(flags.progress, process.env, process.stdout);
    const run = await build({ ...options, reporter, signal: interrupt.signal });

    const { formatSummary, formatGithubStepSummary } = await import("../../report/summary.js");
    const info = { durationMs: run.durationMs, interrupted: run.interrupted };
    const quiet = flags.progress === "quiet" || flags.progress === "json";
    if (!quiet || run.results.some((r) => r.status === "failed")) {
      const color = process.stderr.isTTY === true && !process.env.NO_COLOR;
      process.stderr.write(`\n${formatSummary(run.results, { ...info, color })}\n`);
    }
    for (const problem of run.problems) process.stderr.write(`dockbuild: ${problem}\n`);
    if (process.env.GITHUB_STEP_SUMMARY) {
      await appendFile(process.env.GITHUB_STEP_SUMMARY, `${formatGithubStepSummary(run.results, info)}\n`);
    }
    const failure = runFailure(run);
    if (failure) throw failure;
  } catch (error) {
    throw (outputClosedFirst && stoppedBecauseOutputClosed(error, output)) || error;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    forgetOutput();
  }
}

/** An interrupt that the closed output caused is said as such (exit 141, not 130). */
function stoppedBecauseOutputClosed(error: unknown, output: OutputWatch): DockbuildError | undefined {
  const closed = output.closed();
  if (closed === undefined || !(error instanceof DockbuildError) || error.code !== "INTERRUPTED") return;
  return new DockbuildError(
    "OUTPUT_CLOSED",
    `${closed.stream} was closed (whatever read dockbuild's output stopped reading): running builds were stopped`,
    { cause: error },
  );
}

/** `--dry-run`: each job's engine command and pushes, in build order, and every warning. */
async function printDryRun(options: BuildOptions): Promise<void> {
  const dry = await describeBuild(options);
  printWarnings(dry.warnings);
  for (const { job, command, pushes, warnings, builder } of dry.jobs) {
    printWarnings(warnings);
    const after = job.dependsOn.length ? ` (after ${job.dependsOn.join(", ")})` : "";
    const on = builder !== undefined ? ` on ${builder}` : "";
    process.stdout.write(`# ${job.services.join(", ")}${after}${on}\n${command}\n`);
    for (const push of pushes) process.stdout.write(`${push}\n`);
  }
}
