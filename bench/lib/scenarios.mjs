// The scenarios: the order of runs (tools alternating within each run), what happens before each timed run,
// and what makes a sample ok. Everything measured lands in the session, which run.mjs turns into results.
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { checkPlanJson } from "./checks.mjs";
import { startCpuCount } from "./cpu.mjs";
import { makeEngineCold, missingImages } from "./engine.mjs";
import { measure, note } from "./measure.mjs";
import { touchSource, writeMonorepo } from "./monorepo.mjs";
import { SETTLE, settle } from "./settle.mjs";
import { formatMs, median, readTimeline } from "./stats.mjs";
import { dockbuildBackendTool, dockbuildCommand, toolEnv } from "./tools.mjs";

/**
 * @typedef {object} Session
 * @property {{ repoRoot: string, node: string, docker: string, dockerHost?: string }} context
 * @property {import("./tools.mjs").Tool[]} tools   dockbuild first, then the peers
 * @property {import("./tools.mjs").Tool[]} peers
 * @property {{ runs: number, timeoutMs: number, work: object, planServices: number }} options
 * @property {number} [enginePid]                 the engine's dockerd, when /proc shows it (for its CPU per run)
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
  const cpu = startCpuCount(session.enginePid);
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
  const used = cpu();
  const last = measured.at(-1);
  const ok = measured.length === steps.length && measured.every((m) => m.exitCode === 0);
  return {
    ...used,
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
  const quiet = await settle(SETTLE);
  note(
    join(session.logDir, "bench.log"),
    `${session.rel(logBase)}: waited ${quiet.waitedMs.toFixed(0)} ms for a quiet machine${quiet.quiet ? "" : " (not quiet)"}`,
  );
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
function medianTimeline(scenario, n, samples, backend) {
  const ok = samples.filter((s) => s.ok);
  const mid =
    ok.length > 0 ? [...ok].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((ok.length - 1) / 2)] : samples[0];
  return mid
    ? {
        scenario,
        n,
        backend,
        runs: samples.length,
        wallMs: mid.wallMs,
        timeline: readTimeline(mid.lines, mid.wallMs),
      }
    : undefined;
}

/**
 * dockbuild once on each backend it did not choose by itself (`repo.backends.others`), after the timed runs of
 * a scenario: the breakdown then shows where the time goes on both. `prepare` runs before each (untimed).
 */
async function runOtherBackends(session, scenario, repo, prepare) {
  const timelines = [];
  for (const tool of repo.backends.others) {
    await prepare(tool);
    const sample = await buildSample(
      session,
      tool.build(repo.dir),
      logBase(session, scenario, repo.n, 1, tool),
      repo.serviceNames,
    );
    const bucket = [];
    record(session, { scenario, n: repo.n, run: 1, tool, sample, bucket });
    timelines.push(medianTimeline(scenario, repo.n, bucket, tool.backend));
  }
  return timelines;
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
  const others = await runOtherBackends(session, "cold", repo, () => makeEngineCold(session.context));
  session.phases.push([`cold N=${n}`, performance.now() - phase]);
  return [medianTimeline("cold", n, own, repo.backends.chosen), ...others];
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
  const others = await runOtherBackends(session, scenario, repo, async (tool) => {
    const base = logBase(session, scenario, n, 1, tool);
    await runSteps(session, tool.build(dir), { logBase: `${base}.prep` });
    if (scenario === "one-change" && leaf) touchSource(dir, leaf.sourceFile, `${tool.id} ${Date.now()}`);
  });
  session.phases.push([`${scenario} N=${n}`, performance.now() - phase]);
  return [medianTimeline(scenario, n, samples.dockbuild, repo.backends.chosen), ...others];
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
 * Which backend dockbuild picks by itself on this machine (read from its `--dry-run` commands) and which other
 * backend also works here (its `--dry-run` finds an engine): the breakdown covers both.
 */
export async function detectBackends(session, repo) {
  const { context } = session;
  const dry = async (args) => {
    const step = dockbuildCommand(context, ["--project-directory", repo.dir, "all", "--dry-run", ...args]);
    const log = join(session.logDir, `backends-n${repo.n}${args.length ? `-${args.at(-1)}` : ""}.log`);
    return measure("dry-run", step.argv, { cwd: step.cwd, env: step.env, timeoutMs: 120_000, log });
  };
  const chosen = backendOfDryRun((await dry([])).stdout);
  const others = [];
  for (const backend of ["buildx", "docker"]) {
    if (backend === chosen) continue;
    const forced = await dry(["--backend", backend]);
    const usable = forced.exitCode === 0 && !forced.lines.some((l) => /no engine answered/.test(l.line));
    if (usable)
      others.push({ ...dockbuildBackendTool(context, backend, session.dockbuildArgs ?? []), backend });
  }
  return { chosen, others };
}

/** `buildx` when dockbuild's dry-run commands run the buildx plugin, `docker` when they run `docker build`. */
export function backendOfDryRun(stdout) {
  const command = stdout.split("\n").find((l) => l.trim() !== "" && !l.startsWith("#")) ?? "";
  return /(^|[\s/])(docker-)?buildx( |$)|\bbuildx build\b/.test(command) ? "buildx" : "docker";
}

/**
 * Costs every dockbuild run pays, measured apart (median of 3): start-up (`--version`), loading the project
 * (`plan --json`), engine detection (`all --dry-run`, per backend), and the engine's floor for one fully cached
 * build of the leaf service, started exactly as dockbuild starts it on each backend (its `--dry-run` command).
 */
export async function measureFixedCosts(session, repo) {
  const { dir, n, leaf } = repo;
  const { context } = session;
  const three = async (name, step) => {
    const times = [];
    let last;
    for (let i = 1; i <= 3; i++) {
      const log = join(session.logDir, `fixed-n${n}-${name}-${i}.log`);
      last = await measure(name, step.argv, {
        cwd: step.cwd,
        env: step.env,
        timeoutMs: session.options.timeoutMs,
        log,
      });
      if (last.exitCode !== 0) return { ms: undefined, last };
      times.push(last.wallMs);
    }
    return { ms: median(times), last };
  };
  const versionMs = (await three("version", dockbuildCommand(context, ["--version"]))).ms;
  const planMs = (
    await three("plan", dockbuildCommand(context, ["--project-directory", dir, "plan", "--json"]))
  ).ms;
  const backends = [];
  for (const backend of [repo.backends.chosen, ...repo.backends.others.map((t) => t.backend)]) {
    const args = ["--project-directory", dir, "all", "--dry-run", "--backend", backend];
    const dry = await three(`dry-run-${backend}`, dockbuildCommand(context, args));
    let engineFloorMs;
    const command = leaf && dry.last ? commandOf(dry.last.stdout, leaf.service) : undefined;
    if (command) {
      const step = { argv: ["sh", "-c", command], cwd: dir, env: toolEnv(context) };
      // Once to make sure it is cached, then the timed three.
      const log = join(session.logDir, `fixed-n${n}-engine-${backend}-warm.log`);
      await measure("engine-warm", step.argv, {
        cwd: dir,
        env: step.env,
        timeoutMs: session.options.timeoutMs,
        log,
      });
      engineFloorMs = (await three(`engine-${backend}`, step)).ms;
    }
    backends.push({ backend, dryRunMs: dry.ms, engineFloorMs });
  }
  return { versionMs, planMs, backends };
}

/** The command `--dry-run` prints for one service: the line after its `# service` heading. */
export function commandOf(stdout, service) {
  const lines = stdout.split("\n");
  const at = lines.findIndex(
    (l) => l === `# ${service}` || l.startsWith(`# ${service} (`) || l.startsWith(`# ${service},`),
  );
  return at >= 0 ? lines[at + 1] : undefined;
}
