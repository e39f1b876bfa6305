import { appendFile } from "node:fs/promises";
import { killAllChildren } from "../../exec/index.js";
import { build, describeBuild, runFailure, type BuildOptions } from "../../session/index.js";
import { toBuildOptions, type BuildCliOptions } from "../build-options.js";
import type { GlobalOptions } from "../global-options.js";

/** `dockbuild [all|SERVICE...]`: flags to options, the core runs, the result printed; main sets the exit code. */
export async function runBuildCommand(
  names: string[],
  flags: GlobalOptions & BuildCliOptions,
): Promise<void> {
  // Signals are ours from the first moment: a SIGTERM during loading or engine detection must also stop the
  // children already started and end with 130, not kill dockbuild and orphan them.
  const interrupt = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    interrupt.abort();
    // builds stop through the abort signal; this also stops the short-lived engine queries and git
    killAllChildren(interrupts > 1 ? 0 : 3000);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
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
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** `--dry-run`: each job's engine command and pushes, in build order, and every warning. */
async function printDryRun(options: BuildOptions): Promise<void> {
  const dry = await describeBuild(options);
  for (const w of dry.warnings) process.stderr.write(`warning: ${w}\n`);
  for (const { job, command, pushes, warnings, builder } of dry.jobs) {
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    const after = job.dependsOn.length ? ` (after ${job.dependsOn.join(", ")})` : "";
    const on = builder !== undefined ? ` on ${builder}` : "";
    process.stdout.write(`# ${job.services.join(", ")}${after}${on}\n${command}\n`);
    for (const push of pushes) process.stdout.write(`${push}\n`);
  }
}
