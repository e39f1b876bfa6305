// The builders scenario: the generated monorepo built cold by dockbuild on 1, 2 and 3 Docker engines of the
// bench's own (never the machine's engine, whose cache other people use), 4 slots each, handing images over
// through a registry. The steps mostly sleep: they stand in for remote machines' own CPUs, which one machine
// cannot have. Wall time must fall with each added builder, to at most 0.45 × one builder's with three.
import { writeFileSync } from "node:fs";
import os from "node:os";
import { join, relative } from "node:path";
import { missingImages } from "./engine.mjs";
import { startEngine, startRegistry } from "./engines.mjs";
import { capture, measure, note } from "./measure.mjs";
import { writeMonorepo } from "./monorepo.mjs";
import { median } from "./stats.mjs";

/** Sleep-bound work: a few seconds of waiting per service, next to no CPU or disk. */
export const BUILDERS_WORK = { depsSleep: 2, depsMb: 1, sleep: 20, cpuMb: 1, toolchainMb: 1 };
export const BUILDER_COUNTS = [1, 2, 3];
export const BUILDER_SLOTS = 4;
/** Three builders must take at most this share of one builder's time. */
export const BUILDERS_TARGET = 0.45;
/** Bridges and subnets of the bench's engines (other tests use dbk1…dbk8). */
export const BENCH_ENGINES = [1, 2, 3].map((i) => ({ bridge: `dbkbench${i}`, address: `10.232.${i}.1/24` }));

/** The config for the first `count` engines, a registry namespace of this run's own. */
export function buildersConfig(hosts, count, registry, slots = BUILDER_SLOTS) {
  const lines = ["builders:"];
  hosts.slice(0, count).forEach((host, i) => {
    lines.push(`  - name: b${i + 1}`, `    endpoint: docker:${host}`, `    slots: ${slots}`);
  });
  lines.push(`registry: ${registry}`, "");
  return lines.join("\n");
}

/** The order of the builder counts in run `run` (1-based): rotated, so that slow drift hits each count alike. */
export function runOrder(counts, run) {
  const shift = (run - 1) % counts.length;
  return [...counts.slice(shift), ...counts.slice(0, shift)];
}

/** How many builds started on each builder, from `--progress plain` lines (`svc | started on b2`). */
export function jobsPerBuilder(lines) {
  const counts = {};
  for (const { line } of lines) {
    const on = /\| started on (b\d+)/.exec(line)?.[1];
    if (on !== undefined) counts[on] = (counts[on] ?? 0) + 1;
  }
  return counts;
}

/**
 * Medians per builder count, each against one builder's, and the verdict: every added builder must lower the
 * median, and three must come to at most `BUILDERS_TARGET` of one. A count with a failed run has no median.
 */
export function summarizeBuilders(samples, counts = BUILDER_COUNTS) {
  const rows = counts.map((builders) => {
    const mine = samples.filter((s) => s.builders === builders);
    const ok = mine.every((s) => s.ok);
    return {
      builders,
      runs: mine.length,
      medianMs: ok && mine.length > 0 ? median(mine.map((s) => s.wallMs)) : undefined,
    };
  });
  const one = rows[0]?.medianMs;
  for (const row of rows)
    row.ratio = one !== undefined && row.medianMs !== undefined ? row.medianMs / one : undefined;
  if (rows.some((r) => r.medianMs === undefined)) return { rows, verdict: "failed", why: "a run failed" };
  const falls = rows.every((r, i) => i === 0 || r.medianMs < rows[i - 1].medianMs);
  const last = rows.at(-1);
  const meets = last.builders !== 3 || last.ratio <= BUILDERS_TARGET;
  const why = [
    ...(falls ? [] : ["the wall time does not fall with each added builder"]),
    ...(meets
      ? []
      : [`three builders take ${last.ratio.toFixed(2)} × one builder's time (target ≤ ${BUILDERS_TARGET})`]),
  ];
  return {
    rows,
    verdict: why.length === 0 ? "pass" : "miss",
    ...(why.length ? { why: why.join("; ") } : {}),
  };
}

/**
 * Start three engines and a registry, then build the monorepo cold `runs` times on 1, 2 and 3 of them.
 * @returns {Promise<object>} samples, summary, and what was built how
 */
export async function runBuildersScenario({
  repoRoot,
  node,
  docker,
  runs,
  services,
  timeoutMs,
  workRoot,
  logDir,
  say,
}) {
  for (const [binary, why] of [
    ["dockerd", "starts the bench's engines"],
    ["docker-registry", "is the registry between them"],
    ["ip", "makes their bridges"],
  ]) {
    const which = await capture(["sh", "-c", `command -v ${binary}`]);
    if (which.exitCode !== 0) return { skipped: `${binary} (which ${why}) is not installed` };
  }
  const dir = join(workRoot, `builders-${services}`);
  const written = writeMonorepo(dir, services, BUILDERS_WORK);
  say(
    `\nbuilders: ${written.serviceNames.length} services on 1, 2 and 3 engines of the bench's own, ${BUILDER_SLOTS} slots each`,
  );
  const started = [];
  const registry = await startRegistry(join(os.tmpdir(), "dockbuild-bench-registry"));
  const samples = [];
  try {
    for (const { bridge, address } of BENCH_ENGINES)
      started.push(
        await startEngine({ docker, bridge, address, root: join(os.tmpdir(), `dockbuild-bench-${bridge}`) }),
      );
    const hosts = started.map((e) => e.host);
    for (let run = 1; run <= runs; run++) {
      for (const count of runOrder(BUILDER_COUNTS, run)) {
        // Cold on every engine (they are the bench's own) and a registry namespace nobody pushed to.
        for (const host of hosts)
          await capture([docker, "-H", host, "system", "prune", "-af"], { timeoutMs: 600_000 });
        const namespace = `${registry.host}/bench-r${run}-b${count}-${Date.now().toString(36)}`;
        writeFileSync(join(dir, ".dockbuildrc.yml"), buildersConfig(hosts, count, namespace));
        const log = join(logDir, `builders-${count}-run${run}.log`);
        note(join(logDir, "bench.log"), `builders: ${count} builder(s), run ${run}`);
        // The final images land in the engine the client reaches: the first builder's.
        const env = { ...process.env, DOCKER_HOST: hosts[0], DOCKBUILD_DOCKER: docker };
        const m = await measure(
          `builders ${count}`,
          [
            node,
            join(repoRoot, "bin", "dockbuild.js"),
            "--project-directory",
            dir,
            "all",
            "--progress",
            "plain",
          ],
          {
            cwd: repoRoot,
            env,
            timeoutMs,
            log,
          },
        );
        const missing =
          m.exitCode === 0 ? await missingImages({ docker, dockerHost: hosts[0] }, written.serviceNames) : [];
        const ok = m.exitCode === 0 && missing.length === 0;
        samples.push({
          scenario: "builders",
          builders: count,
          run,
          wallMs: m.wallMs,
          exitCode: m.exitCode,
          ok,
          ...(ok
            ? {}
            : {
                why: m.timedOut
                  ? "timed out"
                  : missing.length > 0
                    ? `${missing.length} images missing`
                    : `exit ${m.exitCode}`,
              }),
          perBuilder: jobsPerBuilder(m.lines),
          load: os.loadavg()[0],
          log: relative(repoRoot, log),
        });
        say(
          `  ${count} builder(s), run ${run}: ${(m.wallMs / 1000).toFixed(1)} s${ok ? "" : ` (failed: ${samples.at(-1).why})`}`,
        );
      }
    }
  } finally {
    for (const engine of started) await engine.stop().catch((e) => say(`note: ${e.message}`));
    await registry.stop().catch((e) => say(`note: ${e.message}`));
  }
  return {
    services: written.serviceNames.length,
    slots: BUILDER_SLOTS,
    work: BUILDERS_WORK,
    samples,
    summary: summarizeBuilders(samples),
  };
}
