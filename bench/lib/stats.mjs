// Pure: medians, the DESIGN.md targets, a verdict per scenario, and dockbuild's timeline read from its plain
// progress output.

/** The Performance targets table of DESIGN.md, as numbers: "no slower than" is inclusive, "under" is not. */
export const TARGETS = {
  cold: { maxRatio: 0.95, inclusive: true, text: "≤ 0.95 × fastest peer; correct where peers fail" },
  noop: { maxRatio: 0.08, text: "< 0.08 × fastest peer" },
  "one-change": { maxRatio: 0.4, text: "< 0.4 × fastest peer" },
  plan: { maxMs: 1000, maxRssMb: 150, text: "< 1 s and < 150 MB peak" },
};

export const SCENARIO_TITLES = {
  cold: "cold build",
  noop: "nothing changed",
  "one-change": "one source file changed",
  plan: "`plan --json` (no build)",
};

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * @typedef {object} Sample
 * @property {number} wallMs
 * @property {boolean} ok            exit 0 on every step and, for builds, every image present afterwards
 * @property {number} exitCode
 * @property {number[]} [stepMs]
 * @property {string[]} [missing]
 * @property {number} [maxRssKb]
 * @property {string} log
 * @property {string} [why]          why it is not ok
 */

/**
 * One table row: medians of the runs that succeeded, dockbuild ÷ fastest peer, and the verdict on the target.
 * dockbuild with a failed run gets no median: the row fails. A peer gets the median of the runs it finished, so
 * that a run the engine failed under it (a transient engine error) does not drop the peer from the comparison
 * and leave dockbuild measured against a slower one; the table says how many of its runs succeeded.
 * @param {{ scenario: string, n: number, samples: Record<string, Sample[]> }} result
 * @param {string[]} peerIds
 */
export function summarize(result, peerIds) {
  const { scenario, n, samples } = result;
  /** @type {Record<string, { medianMs?: number, runs: number, ok: number, maxRssKb?: number }>} */
  const tools = {};
  for (const [id, list] of Object.entries(samples)) {
    const ok = list.filter((s) => s.ok);
    const rss = ok.map((s) => s.maxRssKb).filter((v) => Number.isFinite(v));
    const counted = peerIds.includes(id) ? ok.length > 0 : ok.length === list.length && list.length > 0;
    tools[id] = {
      medianMs: counted ? median(ok.map((s) => s.wallMs)) : undefined,
      runs: list.length,
      ok: ok.length,
      maxRssKb: rss.length > 0 ? Math.max(...rss) : undefined,
    };
  }
  const subject = tools.dockbuild;
  const peerTimes = peerIds
    .map((id) => ({ id, ms: tools[id]?.medianMs }))
    .filter((p) => p.ms !== undefined)
    .sort((a, b) => a.ms - b.ms);
  const fastest = peerTimes[0];
  const ratio = subject?.medianMs !== undefined && fastest ? subject.medianMs / fastest.ms : undefined;
  const target = TARGETS[scenario];

  /** @type {"pass" | "miss" | "failed" | "n/a"} */
  let verdict;
  let why = "";
  if (!subject || subject.medianMs === undefined) {
    verdict = "failed";
    why = subject ? `dockbuild succeeded in ${subject.ok} of ${subject.runs} runs` : "dockbuild did not run";
  } else if (scenario === "plan") {
    const rssMb = subject.maxRssKb !== undefined ? subject.maxRssKb / 1024 : undefined;
    const fast = subject.medianMs < target.maxMs;
    const small = rssMb === undefined ? undefined : rssMb < target.maxRssMb;
    verdict = fast && small !== false ? "pass" : "miss";
    if (!fast) why = `${formatMs(subject.medianMs)} ≥ 1 s`;
    if (small === false) why = [why, `${rssMb.toFixed(0)} MB ≥ 150 MB`].filter(Boolean).join(", ");
    if (small === undefined) why = "peak memory not measured";
  } else if (ratio === undefined) {
    verdict = "n/a";
    why = "no peer finished";
  } else {
    verdict = meets(ratio, target) ? "pass" : "miss";
    if (verdict === "miss") why = `${ratio.toFixed(2)} ${target.inclusive ? ">" : "≥"} ${target.maxRatio}`;
  }
  return { scenario, n, tools, fastestPeer: fastest?.id, ratio, target: target?.text ?? "", verdict, why };
}

/** Whether a ratio meets a ratio target (`≤` for "no slower than", `<` for "under"). */
export function meets(ratio, target) {
  return target.inclusive ? ratio <= target.maxRatio : ratio < target.maxRatio;
}

/** `0.82 s`, `12.3 s`, `2 m 05 s`: short and comparable in a table. */
export function formatMs(ms) {
  if (ms === undefined || !Number.isFinite(ms)) return "–";
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const whole = Math.round(ms / 1000);
  return `${Math.floor(whole / 60)} m ${String(whole % 60).padStart(2, "0")} s`;
}

const END = /^(built in|up to date|up-to-date|failed|skipped|cancelled)/;

/**
 * When each job started and ended, from the lines of `--progress plain` (`<job> | started…`, `<job> | built in…`)
 * and the times they arrived: how long dockbuild took to start the first build, how long each build took to
 * show its first engine line (`#1 …`: the cost of starting a build), how many ran at once, and how long it took
 * to exit after the last one.
 * @param {{ t: number, line: string }[]} lines
 * @param {number} wallMs
 */
export function readTimeline(lines, wallMs) {
  /** @type {Map<string, { start?: number, end?: number, status?: string, engine?: number }>} */
  const jobs = new Map();
  for (const { t, line } of lines) {
    const match = /^(\S+)\s*\| (.*)$/.exec(line);
    if (!match) continue;
    const [, id, text] = match;
    if (text.startsWith("started")) {
      jobs.set(id, { ...jobs.get(id), start: t });
    } else if (/^#\d+ /.test(text)) {
      const job = jobs.get(id);
      if (job && job.engine === undefined) job.engine = t;
    } else if (END.test(text)) {
      const status = /^(built|up to date|up-to-date|failed|skipped|cancelled)/.exec(text)?.[1];
      jobs.set(id, { ...jobs.get(id), end: t, status });
    }
  }
  const spans = [...jobs.values()].filter((j) => j.start !== undefined && j.end !== undefined);
  if (jobs.size === 0) return undefined;
  const events = spans.flatMap((j) => [
    { t: j.start, d: 1 },
    { t: j.end, d: -1 },
  ]);
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const e of events) {
    now += e.d;
    peak = Math.max(peak, now);
  }
  const starts = spans.map((j) => j.start);
  const ends = [...jobs.values()].map((j) => j.end).filter((v) => v !== undefined);
  const count = (status) => [...jobs.values()].filter((j) => j.status === status).length;
  const busyMs = spans.reduce((sum, j) => sum + (j.end - j.start), 0);
  const latencies = spans.filter((j) => j.engine !== undefined).map((j) => j.engine - j.start);
  return {
    jobs: jobs.size,
    built: count("built"),
    upToDate: count("up to date") + count("up-to-date"),
    failed: count("failed"),
    firstStartMs: starts.length > 0 ? Math.min(...starts) : undefined,
    lastEndMs: ends.length > 0 ? Math.max(...ends) : undefined,
    tailMs: ends.length > 0 ? wallMs - Math.max(...ends) : undefined,
    peakConcurrency: peak,
    meanJobMs: spans.length > 0 ? busyMs / spans.length : undefined,
    busyMs,
    startLatencyMs: median(latencies),
    maxStartLatencyMs: latencies.length > 0 ? Math.max(...latencies) : undefined,
  };
}
