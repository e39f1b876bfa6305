#!/usr/bin/env node
// dockbuild's fuzzing harness: generated and mutated compose files, Dockerfiles, env files and config,
// each run through the real CLI (`dockbuild plan --json`, some `ls`, `check` and `matrix`) in a project
// folder of its own, checked against the targets in lib/targets.mjs. No engine is needed.
//
//   node fuzz/run.mjs [--seed N] [--count N] [--seconds S] [--jobs J] [--small] [--kinds LIST] [--modes LIST]
//   node fuzz/run.mjs --replay fuzz/work/failures/<id>/case.json
//
// A failing input is written to fuzz/work/failures/<seed>-<index>/case.json. Exit 0 when every target was
// met, 1 when one was missed, 2 on bad flags.
import { performance } from "node:perf_hooks";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FULL_LIMITS, SMALL_LIMITS, generateCase } from "./lib/cases.mjs";
import { HELP, parseOptions } from "./lib/options.mjs";
import { writeCase } from "./lib/project.mjs";
import { runCli } from "./lib/run-cli.mjs";
import { addCase, createSummary, passed, renderSummary } from "./lib/summary.mjs";
import { checkRun } from "./lib/targets.mjs";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(repoRoot, "bin", "dockbuild.js");
const say = (text) => process.stdout.write(`${text}\n`);

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`fuzz: ${error.message}\n\n${HELP}`);
    return 2;
  }
  if (options.help) {
    say(HELP);
    return 0;
  }
  if (!existsSync(join(repoRoot, "dist", "cli", "main.js"))) {
    process.stderr.write("fuzz: dist/ is missing: run `pnpm build` first\n");
    return 2;
  }
  const scratch = mkdtempSync(join(os.tmpdir(), "dockbuild-fuzz-"));
  const stop = () => rmSync(scratch, { recursive: true, force: true });
  process.on("SIGINT", () => {
    stop();
    process.exit(130);
  });
  try {
    return options.replay ? await replay(options, scratch) : await fuzz(options, scratch);
  } finally {
    stop();
  }
}

async function fuzz(options, scratch) {
  const limits = options.small ? SMALL_LIMITS : FULL_LIMITS;
  say(
    `fuzz: seed ${options.seed}, up to ${options.count} inputs in ${options.seconds} s, ${options.jobs} at once${options.small ? ", small sizes" : ""}`,
  );
  const summary = createSummary();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let next = 0;
  let generated = 0;
  let stoppedEarly = false;
  const take = () => {
    // indexes run in order; --kinds/--modes skip the cases they leave out (the rest keep their index)
    while (generated < options.count) {
      if (performance.now() > deadline) {
        stoppedEarly = true;
        return undefined;
      }
      const testCase = generateCase(options.seed, next++, limits);
      if (options.kinds && !options.kinds.includes(testCase.kind)) continue;
      if (options.modes && !options.modes.includes(testCase.mode)) continue;
      generated++;
      return testCase;
    }
    return undefined;
  };
  const worker = async () => {
    for (let testCase = take(); testCase; testCase = take()) {
      const checked = await runCase(testCase, scratch, options);
      const missed = addCase(summary, testCase, checked);
      if (options.verbose || missed.length > 0) say(describe(testCase, checked));
      if (missed.length > 0) {
        const file = saveFailure(testCase, checked, options.out);
        say(`  replay: node fuzz/run.mjs --replay ${relative(process.cwd(), file)}`);
      } else if (!options.verbose && summary.cases % 50 === 0) {
        say(
          `  ${summary.cases} inputs, ${summary.failed.length} failing, ${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: options.jobs }, worker));
  say("");
  for (const line of renderSummary(summary, {
    seed: options.seed,
    elapsedMs: performance.now() - started,
    stoppedEarly,
  }))
    say(line);
  if (!passed(summary)) {
    say(
      `\nfuzz: targets missed with seed ${options.seed}; failing inputs in ${relative(process.cwd(), options.out)}/`,
    );
    return 1;
  }
  return 0;
}

async function replay(options, scratch) {
  // a saved case.json, or SEED-INDEX to generate the case again (with the sizes of --small or not)
  const id = /^(\d+)-(\d+)$/.exec(options.replay);
  const testCase = id
    ? generateCase(Number(id[1]), Number(id[2]), options.small ? SMALL_LIMITS : FULL_LIMITS)
    : JSON.parse(readFileSync(options.replay, "utf8"));
  if (!Array.isArray(testCase?.files) || !Array.isArray(testCase?.commands)) {
    process.stderr.write(`fuzz: ${options.replay} is not a case written by this harness\n`);
    return 2;
  }
  const checked = await runCase(testCase, scratch, { ...options, keep: options.keep });
  say(describe(testCase, checked));
  for (const { run } of checked) {
    say(`\n$ dockbuild ${[...testCase.args, ...run.command].join(" ")}`);
    say(
      `exit ${run.exitCode ?? run.signal}, ${(run.wallMs / 1000).toFixed(2)} s, ${run.maxRssKb === undefined ? "?" : Math.round(run.maxRssKb / 1024)} MB`,
    );
    if (run.stderr) say(`stderr (${run.stderrBytes} bytes):\n${run.stderr.slice(0, 4000)}`);
    if (run.exitCode !== 0 && run.stdout)
      say(`stdout (${run.stdoutBytes} bytes):\n${run.stdout.slice(0, 2000)}`);
  }
  return checked.some(({ check }) => check.violations.length > 0) ? 1 : 0;
}

/** Writes the case, runs its commands one after the other, checks each run. */
async function runCase(testCase, scratch, options) {
  const dir = options.keep ? resolve(options.out, "..", "cases", testCase.id) : join(scratch, testCase.id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const checked = [];
  try {
    writeCase(dir, testCase);
    for (const command of testCase.commands) {
      const run = await runCli({
        bin,
        cwd: join(dir, "repo"),
        home: join(dir, "home"),
        args: testCase.args,
        command,
        env: testCase.env,
        hardLimitMs: options.hardLimitMs,
      });
      checked.push({ run, check: checkRun(run) });
    }
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
  if (options.keep) say(`  kept in ${relative(process.cwd(), dir)}`);
  return checked;
}

function describe(testCase, checked) {
  const runs = checked
    .map(({ run, check }) => {
      const exit = run.exitCode ?? run.signal;
      const rss = run.maxRssKb === undefined ? "?" : Math.round(run.maxRssKb / 1024);
      const flags = check.violations.map((v) => `${v.target}: ${v.detail.slice(0, 140)}`).join("; ");
      return `${run.command[0]} ${exit} ${(run.wallMs / 1000).toFixed(2)}s ${rss}MB${flags ? ` ✗ ${flags}` : ""}`;
    })
    .join(" | ");
  const mark = checked.some(({ check }) => check.violations.length > 0) ? "FAIL" : "ok  ";
  return `${mark} ${testCase.id} ${testCase.kind}/${testCase.mode} ${testCase.label.slice(0, 100)}: ${runs}`;
}

/** The case (replayable) and what its runs printed, in a folder of its own. */
function saveFailure(testCase, checked, out) {
  const dir = join(out, testCase.id);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "case.json");
  writeFileSync(file, `${JSON.stringify(testCase, null, 1)}\n`);
  const runs = checked.map(({ run, check }) => ({
    ...run,
    stdout: run.stdout.slice(0, 4000),
    stderr: run.stderr.slice(0, 8000),
    violations: check.violations,
  }));
  writeFileSync(join(dir, "runs.json"), `${JSON.stringify(runs, null, 1)}\n`);
  return file;
}

process.exitCode = await main().catch((error) => {
  process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 2;
});
