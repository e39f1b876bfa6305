// The scenarios: the order of runs (tools alternating within each run), what happens before each timed run,
// and what makes a sample ok. Everything measured lands in the session, which run.mjs turns into results.
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { checkPlanJson } from "./checks.mjs";
import { makeEngineCold, missingImages } from "./engine.mjs";
import { measure, note } from "./measure.mjs";
import { BENCH_LABEL, IMAGE_PREFIX, touchSource, writeMonorepo } from "./monorepo.mjs";
import { formatMs, median, readTimeline } from "./stats.mjs";
import { dockbuildCommand, toolEnv } from "./tools.mjs";

/**
 * @typedef {object} Session
 * @property {{ repoRoot: string, node: string, docker: string, dockerHost?: string }} context
 * @property {import("./tools.mjs").Tool[]} tools   dockbuild first, then the peers
 * @property {import("./tools.mjs").Tool[]} peers
 * @property {{ runs: number, timeoutMs: number, work: object, planServices: number }} options
 * @property {string} logDir
 * @property {(text: string) => void} say
 * @property {(path: string) => string} rel     a path as the tables show it (relative to the repo)
 * @property {{ scenario: string, n: number, samples: Record<string, object[]> }[]} results
 * @property {object[]} samples                   every timed sample, flat, for the "Every run" table
 * @property {object[]} unaided                   each tool on a truly cold engine with no help
 * @property {object[]} diagnostics               fixed costs and timelines per N
 * @property {[string, number][]} phases          how long each scenario took
 * @property {number} failures
 */

/** @returns {Session} */
export function createSession(fields) {
  return { ...fields, results: [], samples: [], unaided: [], diagnostics: [], phases: [], failures: 0 };
}

/** Runs a tool's steps one after the other, stopping at the first failure; the sample's time is their sum. */
export async function runSteps(session, steps, { logBase, rss = false }) {
  const measured = [];
  for (const [i, step] of steps.entries()) {
    const log = steps.length > 1 ? `${logBase}.step${i + 1}.log` : `${logBase}.log`;
    const m = await measure(session.rel(logBase), step.argv, {
      cwd: step.cwd,
      env: step.env,
      timeoutMs: session.options.timeoutMs,
      log,
      rss,
    });
    measured.push(m);
    if (m.exitCode !== 0) break;
  }
  const last = measured.at(-1);
  const ok = measured.length === steps.length && measured.every((m) => m.exitCode === 0);
  return {
    wallMs: measured.reduce((sum, m) => sum + m.wallMs, 0),
    stepMs: measured.map((m) => m.wallMs),
    exitCode: last?.exitCode ?? -1,
    ok,
    why: ok ? undefined : last?.timedOut ? "timed out" : errorLine(last),
    maxRssKb: measured.map((m) => m.maxRssKb).find((v) => v !== undefined),
    lines: last?.lines ?? [],
    stdout: last?.stdout ?? "",
    log: session.rel(last?.log ?? `${logBase}.log`),
  };
}

/** The most telling line of a failed command's output, for the table (the log has the rest). */
export function errorLine(measured) {
  if (!measured) return "did not start";
  const lines = measured.lines.map((l) => l.line.trim()).filter(Boolean);
  // The engine's own error (`#5 ERROR: …`) says more than the tool's closing line.
  const error =
    lines.find((l) => /^(\S+\s*\|\s*)?#\d+ ERROR/.test(l)) ??
    [...lines].reverse().find((l) => /error|failed|cannot|not found|no such/i.test(l));
  const text = (error ?? lines.at(-1) ?? `exit ${measured.exitCode}`).replaceAll("|", "\\|");
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** A build sample is ok only if every command exited 0 and every image is in the engine afterwards. */
async function buildSample(session, steps, logBase, serviceNames) {
  const sample = await runSteps(session, steps, { logBase });
  const missing = await missingImages(session.context, serviceNames);
  if (sample.ok && missing.length > 0) {
    sample.ok = false;
    sample.why = `exit 0 but ${missing.length} image(s) missing: ${missing.slice(0, 3).join(", ")}`;
  }
  return { ...sample, missing };
}

function record(session, { scenario, n, run, tool, sample, bucket }) {
  bucket.push(sample);
  // The 1-minute load average as the run ended: other work on the machine shows up here.
  session.samples.push({ scenario, n, run, tool: tool.id, ...sample, load: os.loadavg()[0] });
  if (!sample.ok) session.failures++;
  const rss = sample.maxRssKb !== undefined ? `, ${(sample.maxRssKb / 1024).toFixed(0)} MB peak` : "";
  const status = sample.ok ? "ok" : `FAILED: ${sample.why ?? ""}`;
  session.say(
    `  ${tool.id.padEnd(9)} ${formatMs(sample.wallMs).padStart(9)}${rss} ${status}  (${sample.log})`,
  );
  note(
    join(session.logDir, "bench.log"),
    `${scenario} N=${n} run ${run} ${tool.id}: ${sample.wallMs.toFixed(0)} ms ${sample.ok ? "ok" : "FAILED"}`,
  );
}

const logBase = (session, scenario, n, run, tool) =>
  join(session.logDir, `${scenario}-n${n}-r${run}-${tool.id}`);
const emptyBuckets = (tools) => Object.fromEntries(tools.map((t) => [t.id, []]));

/** dockbuild's timeline in its median successful run (or its first run when none succeeded). */
function medianTimeline(scenario, n, samples) {
  const ok = samples.filter((s) => s.ok);
  const mid =
    ok.length > 0 ? [...ok].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((ok.length - 1) / 2)] : samples[0];
  return mid ? { scenario, n, wallMs: mid.wallMs, timeline: readTimeline(mid.lines, mid.wallMs) } : undefined;
}

/**
 * Cold: once per peer with no help on a truly cold engine (expected to fail), then the timed runs, each on an
 * engine made cold first. dockbuild never gets help, so its timed runs are also its "no help" result.
 */
export async function runCold(session, repo) {
  const { dir, n, serviceNames } = repo;
  const phase = performance.now();
  session.say(`cold, N=${n}: each peer once with no help on a cold engine (expected to fail)`);
  for (const peer of session.peers) {
    await makeEngineCold(session.context);
    const s = await buildSample(
      session,
      peer.coldUnaided(dir),
      logBase(session, "cold-unaided", n, 1, peer),
      serviceNames,
    );
    session.unaided.push({
      n,
      tool: peer.title,
      ok: s.ok,
      exitCode: s.exitCode,
      missing: s.missing,
      log: s.log,
      why: s.why,
    });
    const outcome = s.ok
      ? "built everything"
      : `failed (exit ${s.exitCode}, ${s.missing.length} images missing)`;
    session.say(`  ${peer.id.padEnd(9)} ${outcome}  (${s.log})`);
  }
  const samples = emptyBuckets(session.tools);
  for (let run = 1; run <= session.options.runs; run++) {
    session.say(`cold, N=${n}, run ${run}/${session.options.runs}`);
    for (const tool of session.tools) {
      await makeEngineCold(session.context);
      const sample = await buildSample(
        session,
        tool.build(dir),
        logBase(session, "cold", n, run, tool),
        serviceNames,
      );
      record(session, { scenario: "cold", n, run, tool, sample, bucket: samples[tool.id] });
    }
  }
  const own = samples.dockbuild;
  const failed = own.find((s) => !s.ok);
  session.unaided.push({
    n,
    tool: "dockbuild",
    ok: !failed,
    exitCode: failed?.exitCode ?? 0,
    missing: [...new Set(own.flatMap((s) => s.missing ?? []))],
    log: (failed ?? own[0])?.log ?? "",
    why: failed?.why,
  });
  session.results.push({ scenario: "cold", n, samples });
  session.phases.push([`cold N=${n}`, performance.now() - phase]);
  return medianTimeline("cold", n, own);
}

/**
 * noop and one-change: the tool first builds everything (untimed); for one-change one line is then added to
 * the leaf service's source; then the timed build of everything. Each tool sees exactly its own change.
 */
export async function runRebuild(session, scenario, repo) {
  const { dir, n, serviceNames, leaf } = repo;
  const phase = performance.now();
  const samples = emptyBuckets(session.tools);
  for (let run = 1; run <= session.options.runs; run++) {
    session.say(`${scenario}, N=${n}, run ${run}/${session.options.runs}`);
    for (const tool of session.tools) {
      const base = logBase(session, scenario, n, run, tool);
      const prep = await runSteps(session, tool.build(dir), { logBase: `${base}.prep` });
      let sample = { ...prep, why: `the full build before it failed: ${prep.why}` };
      if (prep.ok) {
        if (scenario === "one-change" && leaf)
          touchSource(dir, leaf.sourceFile, `${tool.id} ${run} ${Date.now()}`);
        sample = await buildSample(session, tool.build(dir), base, serviceNames);
      }
      record(session, { scenario, n, run, tool, sample, bucket: samples[tool.id] });
    }
  }
  session.results.push({ scenario, n, samples });
  session.phases.push([`${scenario} N=${n}`, performance.now() - phase]);
  return medianTimeline(scenario, n, samples.dockbuild);
}

/** plan: `dockbuild plan --json` on a big compose file, with peak memory; the peers' config commands beside it. */
export async function runPlan(session) {
  const phase = performance.now();
  const n = session.options.planServices;
  const dir = join(session.context.repoRoot, "bench", "work", `plan-${n}`);
  writeMonorepo(dir, n, session.options.work);
  const tools = session.tools.filter((t) => t.subject || t.config);
  const samples = emptyBuckets(tools);
  for (let run = 1; run <= session.options.runs; run++) {
    session.say(`plan, N=${n}, run ${run}/${session.options.runs}`);
    for (const tool of tools) {
      const step = tool.subject
        ? dockbuildCommand(session.context, ["--project-directory", dir, "plan", "--json"])
        : tool.config(dir);
      const sample = await runSteps(session, [step], {
        logBase: logBase(session, "plan", n, run, tool),
        rss: true,
      });
      const problem = tool.subject && sample.ok ? checkPlanJson(sample.stdout, n) : undefined;
      if (problem) Object.assign(sample, { ok: false, why: problem });
      record(session, { scenario: "plan", n, run, tool, sample, bucket: samples[tool.id] });
    }
  }
  session.results.push({ scenario: "plan", n, samples });
  session.phases.push([`plan N=${n}`, performance.now() - phase]);
}

/**
 * Costs every dockbuild run pays, measured apart (median of 3): start-up (`--version`), loading the project
 * (`plan --json`), engine detection (`all --dry-run`), and the engine's floor for one fully cached build.
 */
export async function measureFixedCosts(session, repo) {
  const { dir, n, leaf } = repo;
  const { context } = session;
  const three = async (name, step) => {
    const times = [];
    for (let i = 1; i <= 3; i++) {
      const log = join(session.logDir, `fixed-n${n}-${name}-${i}.log`);
      const m = await measure(name, step.argv, {
        cwd: step.cwd,
        env: step.env,
        timeoutMs: session.options.timeoutMs,
        log,
      });
      if (m.exitCode !== 0) return undefined;
      times.push(m.wallMs);
    }
    return median(times);
  };
  const versionMs = await three("version", dockbuildCommand(context, ["--version"]));
  const planMs = await three(
    "plan",
    dockbuildCommand(context, ["--project-directory", dir, "plan", "--json"]),
  );
  const dryRunMs = await three(
    "dry-run",
    dockbuildCommand(context, ["--project-directory", dir, "all", "--dry-run"]),
  );
  let engineFloorMs;
  if (leaf) {
    const argv = [
      context.docker,
      ...["build", "--progress", "plain", "--target", leaf.target, "--label", `${BENCH_LABEL}=1`],
      ...["-t", `${IMAGE_PREFIX}/${leaf.service}:latest`, join(dir, leaf.dir)],
    ];
    const step = { argv, cwd: dir, env: toolEnv(context, { DOCKER_BUILDKIT: "1" }) };
    // Once to make sure it is cached, then the timed three.
    const log = join(session.logDir, `fixed-n${n}-engine-warm.log`);
    await measure("engine-warm", argv, {
      cwd: dir,
      env: step.env,
      timeoutMs: session.options.timeoutMs,
      log,
    });
    engineFloorMs = await three("engine", step);
  }
  return { versionMs, planMs, dryRunMs, engineFloorMs };
}
