#!/usr/bin/env node
// The dockbuild benchmark: dockbuild against its peers on generated monorepos, same engine, same run,
// alternating tools, medians. See bench/README.md for what is measured and how to read the results.
//
//   node bench/run.mjs [--services 12,40] [--runs 3] [--scenarios cold,noop,one-change,plan] [--quick]
//
// Writes bench/results/latest.md, bench/results/YYYY-MM-DD.md, latest.svg and latest.json (--quick: into
// bench/work/quick-results/ instead). Exits 1 when any timed tool run failed, 2 on bad flags or a machine
// that cannot run it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { distStaleness, preflight } from "./lib/checks.mjs";
import { findEngineProcess } from "./lib/cpu.mjs";
import { engineProblem, machineInfo, makeEngineCold } from "./lib/engine.mjs";
import { GNU_TIME, note, stopAll } from "./lib/measure.mjs";
import { leafService, writeMonorepo } from "./lib/monorepo.mjs";
import { HELP, PEER_SCENARIOS, parseOptions } from "./lib/options.mjs";
import { runBuildersScenario } from "./lib/builders.mjs";
import { renderExtraReport, renderExtraSections, renderSimulationSvg } from "./lib/builders-report.mjs";
import { SETTLE } from "./lib/settle.mjs";
import { runSimulation } from "./lib/simulate.mjs";
import { renderMarkdown, renderSvg } from "./lib/report.mjs";
import {
  createSession,
  detectBackends,
  measureFixedCosts,
  runCold,
  runPlan,
  runRebuild,
} from "./lib/scenarios.mjs";
import { formatMs, summarize } from "./lib/stats.mjs";
import { detectPeers, dockbuildTool } from "./lib/tools.mjs";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const workRoot = join(repoRoot, "bench", "work");
const say = (text) => process.stdout.write(`${text}\n`);
const rel = (p) => relative(repoRoot, p) || ".";

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2), repoRoot);
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n\n${HELP}`);
    return 2;
  }
  if (options.help) {
    say(HELP);
    return 0;
  }
  if (options.rerender) return rerender(options);

  const started = performance.now();
  const startedAt = new Date();
  const context = {
    repoRoot,
    node: process.execPath,
    docker: options.docker,
    dockerHost: options.dockerHost,
    dockerConfig: options.dockerConfig,
    buildxConfigGiven: options.buildxConfigGiven,
    ownEngine: options.ownEngine,
  };
  const problems = [...preflight(context), engineProblem(context, options.scenarios) ?? []].flat();
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`bench: ${p}\n`);
    return 2;
  }
  // One folder of logs per bench run, so that a later run never overwrites the logs a results table names.
  const logDir = join(workRoot, "logs", startedAt.toISOString().replace(/[:.]/g, "-").slice(0, 19));
  mkdirSync(logDir, { recursive: true });
  note(join(logDir, "bench.log"), `start ${process.argv.slice(2).join(" ")}`);

  const { peers, notes } = await detectPeers(context, options.peers);
  const subject = dockbuildTool(context, options.dockbuildArgs);
  if (options.dockbuildArgs.length > 0)
    notes.unshift(`a variant: dockbuild ran with ${options.dockbuildArgs.join(" ")}`);
  if (!existsSync(GNU_TIME))
    notes.push(`${GNU_TIME} not found: peak memory read from /proc/PID/status (VmHWM) every 10 ms`);
  const staleness = distStaleness(repoRoot);
  if (staleness) notes.push(staleness);
  notes.push(
    "noop and one-change: each tool first builds everything (untimed), then the timed build follows; one-change edits " +
      "one source file of one leaf service between the two, so every tool sees exactly one changed file.",
    `before each timed build (untimed, the same for every tool): \`sync\`, then a wait until the CPUs are ${SETTLE.idle * 100}% ` +
      `idle over ${SETTLE.windowMs} ms (at most ${SETTLE.maxMs / 1000} s), so that no run pays for the writes and clean-up of the one before it.`,
  );
  for (const n of notes) say(`note: ${n}`);
  const tools = [subject, ...peers];
  say(
    `tools: ${tools.map((t) => t.title).join(", ")}; services ${options.services.join(",")}; runs ${options.runs}`,
  );
  say(
    `scenarios: ${options.scenarios.join(",")}; engine ${context.dockerHost ?? "default socket"} via ${context.docker}`,
  );
  if (options.ownEngine) say("the engine's build cache is pruned before every cold run");

  const onSignal = () => {
    stopAll("SIGTERM");
    process.stderr.write("\nbench: interrupted; builds stopped\n");
    process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const machine = await machineInfo(context, peers);
  const session = createSession({
    context,
    tools,
    peers,
    options,
    logDir,
    say,
    rel,
    dockbuildArgs: options.dockbuildArgs,
    enginePid: findEngineProcess(context.dockerHost ?? process.env.DOCKER_HOST),
  });
  if (session.enginePid === undefined)
    say("note: the engine's dockerd is not visible in /proc here; the runs' engine CPU is not reported");
  const builds = options.scenarios.filter((s) => PEER_SCENARIOS.includes(s));
  for (const n of builds.length > 0 ? options.services : []) {
    const dir = join(workRoot, `mono-${n}`);
    const written = writeMonorepo(dir, n, options.work);
    const repo = { dir, n, serviceNames: written.serviceNames, leaf: leafService(written.units) };
    say(
      `\nmonorepo ${rel(dir)}: ${written.serviceNames.length} services (${written.units.length} Dockerfiles)`,
    );
    repo.backends = await detectBackends(session, repo);
    const others = repo.backends.others.map((t) => t.backend);
    say(
      `dockbuild picks the ${repo.backends.chosen} backend${others.length ? `; once per scenario also on ${others.join(", ")}, for the breakdown` : ""}`,
    );
    const timelines = [];
    if (builds.includes("cold")) timelines.push(...(await runCold(session, repo)));
    for (const scenario of ["noop", "one-change"]) {
      if (builds.includes(scenario)) timelines.push(...(await runRebuild(session, scenario, repo)));
    }
    say(`where the time goes, N=${n}`);
    const fixed = await measureFixedCosts(session, repo);
    session.diagnostics.push({ n, ...fixed, timelines: timelines.filter(Boolean) });
  }
  if (options.scenarios.includes("plan")) await runPlan(session);
  const extra = {};
  if (options.scenarios.includes("builders")) {
    extra.builders = await runBuildersScenario({
      repoRoot,
      node: context.node,
      docker: context.docker,
      runs: options.runs,
      services: 40,
      timeoutMs: options.timeoutMs,
      workRoot,
      logDir,
      say,
    });
    session.failures += (extra.builders.samples ?? []).filter((s) => !s.ok).length;
  }
  if (options.scenarios.includes("simulation")) extra.simulation = await runSimulation({ repoRoot, say });

  // The bench's own engines (builders) are gone already; the machine's engine is only cleaned if it built.
  if (options.cleanup && builds.length > 0) {
    say(`\ncleaning up: bench images${context.ownEngine ? " and build cache" : ""}`);
    await makeEngineCold(context, { cleanup: true }).catch((e) => say(`note: ${e.message}`));
  }

  const durationMs = performance.now() - started;
  describeLoad(session.samples, machine, notes);
  machine.push(["time per phase", session.phases.map(([k, v]) => `${k} ${formatMs(v)}`).join(" · ")]);
  const peerIds = peers.map((p) => p.id);
  const rows = session.results.map((r) => summarize(r, peerIds));
  const report = {
    title: `dockbuild benchmark${options.quick ? " (quick)" : ""} — ${startedAt.toISOString().slice(0, 10)}`,
    command: `node bench/run.mjs ${process.argv.slice(2).join(" ")}`.trim(),
    startedAt: startedAt.toISOString().replace(/\.\d+Z$/, "Z"),
    durationMs,
    runs: options.runs,
    cores: os.availableParallelism(),
    peers,
    rows,
    unaided: session.unaided,
    diagnostics: session.diagnostics,
    samples: session.samples.map(({ lines: _l, stdout: _s, ...rest }) => rest),
    machine,
    notes,
    howDockbuild: subject.howBuilt,
    work: options.work,
    chart: "latest.svg",
    ...extra,
  };
  writeResults(options, report, startedAt);
  for (const r of rows) {
    const ratio = r.ratio?.toFixed(2) ?? "–";
    say(
      `${r.scenario} N=${r.n}: dockbuild ${formatMs(r.tools.dockbuild?.medianMs)}, ratio ${ratio} → ${r.verdict}`,
    );
  }
  say(`\nresults: ${rel(join(options.out, "latest.md"))} (${formatMs(durationMs)} in all)`);
  if (session.failures > 0) {
    process.stderr.write(`bench: ${session.failures} tool run(s) failed; see the logs named in the table\n`);
    return 1;
  }
  return 0;
}

/** The load average during the timed runs, and a note when other work was competing for the cores. */
function describeLoad(samples, machine, notes) {
  const loads = samples.map((s) => s.load).filter((l) => l !== undefined);
  if (loads.length > 0) {
    const [low, high] = [Math.min(...loads), Math.max(...loads)];
    machine.push(["load average (1 min) after each timed run", `${low.toFixed(1)} to ${high.toFixed(1)}`]);
    const cores = os.availableParallelism();
    if (high > cores) {
      notes.push(
        `the load average reached ${high.toFixed(1)} on ${cores} cores during timed runs (column "load" in the ` +
          "last table; read after each run, it counts the builds' own processes, and any other work on the machine); " +
          "differences of a few tens of percent may be noise",
      );
    }
  }
  machine.push([
    "load average at end",
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
  ]);
}

/** The markdown and SVG again from a saved latest.json, into the same folder (no engine, no build). */
function rerender(options) {
  const report = JSON.parse(readFileSync(options.rerender, "utf8"));
  if (!Array.isArray(report?.rows) || !Array.isArray(report?.samples) || !Array.isArray(report?.peers)) {
    throw new Error(`${options.rerender} is not a latest.json written by this bench`);
  }
  const out = dirname(options.rerender);
  // Verdicts are computed again from the samples, so that a change to the targets' rules shows.
  const peerIds = report.peers.map((p) => p.id);
  const rows = report.rows.map((row) => {
    const samples = {};
    for (const s of report.samples) {
      if (s.scenario === row.scenario && s.n === row.n) (samples[s.tool] ??= []).push(s);
    }
    return summarize({ scenario: row.scenario, n: row.n, samples }, peerIds);
  });
  const quick = / \(quick\)/.test(report.title);
  writeResults({ ...options, out, quick }, { ...report, rows }, new Date(report.startedAt));
  say(`rewrote ${rel(join(out, "latest.md"))} from ${rel(options.rerender)}`);
  return 0;
}

/** latest.md, latest.svg, latest.json, and (not for --quick) the dated copies of the first two. */
function writeResults(options, report, startedAt) {
  mkdirSync(options.out, { recursive: true });
  const svg = renderSvg(report.rows, report.title);
  const peers = report.peers.map((p) => ({ id: p.id, title: p.title, howBuilt: p.howBuilt }));
  // A run of only the builders scenario and the simulation is a report of its own: no empty peer tables.
  const onlyExtra = report.rows.length === 0 && (report.builders || report.simulation);
  const markdown = (chart, simulationChart) =>
    onlyExtra
      ? renderExtraReport(report, simulationChart)
      : renderMarkdown({ ...report, chart }) + renderExtraSections(report, simulationChart);
  writeFileSync(join(options.out, "latest.md"), markdown("latest.svg", "latest-simulation.svg"));
  if (!onlyExtra) writeFileSync(join(options.out, "latest.svg"), svg);
  if (report.simulation)
    writeFileSync(join(options.out, "latest-simulation.svg"), renderSimulationSvg(report.simulation.rows));
  writeFileSync(join(options.out, "latest.json"), `${JSON.stringify({ ...report, peers }, null, 2)}\n`);
  if (!options.quick) {
    const day = startedAt.toISOString().slice(0, 10);
    writeFileSync(join(options.out, `${day}.md`), markdown(`${day}.svg`, `${day}-simulation.svg`));
    if (!onlyExtra) writeFileSync(join(options.out, `${day}.svg`), svg);
    if (report.simulation)
      writeFileSync(join(options.out, `${day}-simulation.svg`), renderSimulationSvg(report.simulation.rows));
  }
}

process.exitCode = await main().catch((error) => {
  stopAll("SIGTERM");
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 2;
});
