// Pure: the results as markdown and as a small SVG bar chart (ratios on a log scale, 1.0 and the targets marked).
import { formatMs, median, meets, SCENARIO_TITLES, TARGETS } from "./stats.mjs";

const VERDICT_TEXT = { pass: "✅ pass", miss: "❌ miss", failed: "💥 dockbuild failed", "n/a": "– n/a" };

/**
 * @param {object} report
 * @param {string} report.title
 * @param {string} report.command
 * @param {string} report.startedAt
 * @param {number} report.durationMs
 * @param {number} report.runs
 * @param {{ id: string, title: string, howBuilt: string }[]} report.peers
 * @param {ReturnType<import("./stats.mjs").summarize>[]} report.rows
 * @param {{ n: number, tool: string, ok: boolean, exitCode: number, missing: string[], log: string, why?: string }[]} report.unaided
 * @param {object[]} report.diagnostics
 * @param {{ scenario: string, n: number, run: number, tool: string, wallMs: number, ok: boolean, exitCode: number, maxRssKb?: number, log: string, why?: string, stepMs?: number[], toolCpuMs?: number, engineCpuMs?: number }[]} report.samples
 * @param {number} [report.cores]   the machine's cores, for how busy the runs kept them
 * @param {[string, string][]} report.machine
 * @param {string[]} report.notes
 * @param {object} report.work
 * @param {string} [report.chart]   file name of the SVG beside the markdown
 */
export function renderMarkdown(report) {
  const out = [];
  const peers = report.peers;
  out.push(`# ${report.title}`, "");
  out.push(
    `\`${report.command}\` — started ${report.startedAt}, took ${formatMs(report.durationMs)}; ` +
      `${report.runs} timed run(s) per tool and scenario, alternating dockbuild and peers; medians.`,
    "",
  );
  if (report.chart) out.push(`![dockbuild ÷ fastest peer, per scenario](${report.chart})`, "");

  out.push("## Results", "");
  const head = [
    "scenario",
    "N",
    "dockbuild",
    ...peers.map((p) => p.title),
    "dockbuild ÷ fastest peer",
    "target",
    "result",
  ];
  out.push(
    `| ${head.join(" | ")} |`,
    `| ${head.map((h, i) => (i >= 2 && i < 3 + peers.length + 1 ? "---:" : "---")).join(" | ")} |`,
  );
  for (const row of report.rows) {
    const cell = (id) => {
      const t = row.tools[id];
      if (!t || t.runs === 0) return "–";
      const time =
        t.medianMs === undefined
          ? `failed (${t.ok}/${t.runs} ok)`
          : `${formatMs(t.medianMs)}${t.ok < t.runs ? ` (${t.ok}/${t.runs} ok)` : ""}`;
      const rss =
        row.scenario === "plan" && t.maxRssKb !== undefined ? `, ${(t.maxRssKb / 1024).toFixed(0)} MB` : "";
      return `${time}${rss}`;
    };
    const ratio =
      row.ratio !== undefined
        ? `${row.ratio.toFixed(2)}${row.fastestPeer ? ` (vs ${row.fastestPeer})` : ""}`
        : "–";
    const verdict = `${VERDICT_TEXT[row.verdict]}${row.why ? ` (${row.why})` : ""}`;
    out.push(
      `| ${SCENARIO_TITLES[row.scenario] ?? row.scenario} | ${row.n} | ${cell("dockbuild")} | ${peers.map((p) => cell(p.id)).join(" | ")}${peers.length ? " | " : ""}${ratio} | ${row.target} | ${verdict} |`,
    );
  }
  out.push("");
  out.push(
    "Times are wall-clock medians from spawn to exit. For `plan` the peer column is `docker-compose config` on the " +
      "same file (a reference point, not a target) and memory is the peak RSS reported by GNU time (largest run).",
    "",
  );

  if (report.unaided.length > 0) {
    out.push("## Correct where peers fail: a truly cold engine, no help", "");
    out.push(
      "Each tool builds everything once on an engine with no bench image and no build cache, with no separate " +
        "command for the internal base image. A peer is expected to fail here: its services are `FROM " +
        "127.0.0.1:9/benchmono/base`, which it does not build first, and the engine cannot pull it (nothing answers there).",
      "",
    );
    out.push("| N | tool | result | images missing afterwards | log |", "| --- | --- | --- | --- | --- |");
    const order = (u) => (u.tool === "dockbuild" ? 0 : 1);
    const unaided = [...report.unaided].sort((a, b) => a.n - b.n || order(a) - order(b));
    for (const u of unaided) {
      const result = u.ok ? "✅ built everything" : `❌ exit ${u.exitCode}${u.why ? `: ${u.why}` : ""}`;
      const missing = u.missing.length === 0 ? "none" : `${u.missing.length}: ${abbreviate(u.missing)}`;
      out.push(`| ${u.n} | ${u.tool} | ${result} | ${missing} | \`${u.log}\` |`);
    }
    out.push("");
  }

  if (report.diagnostics.length > 0) {
    out.push("## Where dockbuild's time goes", "");
    out.push(
      "Fixed costs measured apart (medians of 3), per backend where this machine has both; then dockbuild's own " +
        "timeline in the median run of each build scenario (and in one run on the other backend), read from its " +
        "`--progress plain` lines as they arrived. Build start latency: from a build's `started` line to its first " +
        "engine line after BuildKit's `[internal]` steps (starting the client, opening the session, sending the " +
        "Dockerfile and context, resolving the base image).",
      "",
    );
    out.push(
      "| N | backend | `--version` (start-up) | `plan --json` (load, parse, graph) | `all --dry-run` (+ engine detection) | one cached build, started as dockbuild starts it |",
      "| ---: | --- | ---: | ---: | ---: | ---: |",
    );
    for (const d of report.diagnostics) {
      const backends = d.backends ?? [{ backend: "–", dryRunMs: d.dryRunMs, engineFloorMs: d.engineFloorMs }];
      for (const b of backends) {
        out.push(
          `| ${d.n} | ${b.backend} | ${formatMs(d.versionMs)} | ${formatMs(d.planMs)} | ${formatMs(b.dryRunMs)} | ${formatMs(b.engineFloorMs)} |`,
        );
      }
    }
    out.push("");
    const timelines = report.diagnostics.flatMap((d) => d.timelines ?? []);
    if (timelines.length > 0) {
      out.push(
        "| scenario | N | backend | wall | first build started at | build start latency (median / max) | last build ended at | exit after that | jobs (built / up to date / failed) | at once (peak) | mean job |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
      );
      for (const t of timelines) {
        const tl = t.timeline;
        const backend = `${t.backend ?? "–"}${t.runs === 1 && report.runs > 1 ? " (1 run)" : ""}`;
        const latency =
          tl?.startLatencyMs !== undefined
            ? `${formatMs(tl.startLatencyMs)} / ${formatMs(tl.maxStartLatencyMs)}`
            : "–";
        out.push(
          tl
            ? `| ${SCENARIO_TITLES[t.scenario]} | ${t.n} | ${backend} | ${formatMs(t.wallMs)} | ${formatMs(tl.firstStartMs)} | ${latency} | ${formatMs(tl.lastEndMs)} | ${formatMs(tl.tailMs)} | ${tl.jobs} (${tl.built} / ${tl.upToDate} / ${tl.failed}) | ${tl.peakConcurrency} | ${formatMs(tl.meanJobMs)} |`
            : `| ${SCENARIO_TITLES[t.scenario]} | ${t.n} | ${backend} | ${formatMs(t.wallMs)} | – | – | – | – | no job lines in the output | – | – |`,
        );
      }
      out.push("");
    }
  }

  out.push(...renderCpu(report));

  out.push("## How each tool was run", "");
  out.push(
    `- dockbuild: ${report.howDockbuild ?? "`dockbuild --project-directory DIR all --progress plain` (one command, cold or not)"}.`,
  );
  for (const p of peers) out.push(`- ${p.title}: ${p.howBuilt}; both commands are timed together.`);
  for (const n of report.notes) out.push(`- ${n}`);
  out.push(
    `- Work per app service: ${Object.entries(report.work)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}.`,
    "",
  );

  out.push("## Machine", "", "| | |", "| --- | --- |");
  for (const [k, v] of report.machine) out.push(`| ${k} | ${v} |`);
  out.push("");

  out.push("## Every run", "");
  out.push(
    "| scenario | N | run | tool | wall | steps | tool CPU | engine CPU | exit | ok | load | log |",
    "| --- | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | --- | ---: | --- |",
  );
  for (const s of report.samples) {
    const steps = s.stepMs && s.stepMs.length > 1 ? s.stepMs.map((m) => formatMs(m)).join(" + ") : "";
    const rss = s.maxRssKb !== undefined ? ` (${(s.maxRssKb / 1024).toFixed(0)} MB)` : "";
    out.push(
      `| ${s.scenario} | ${s.n} | ${s.run} | ${s.tool} | ${formatMs(s.wallMs)}${rss} | ${steps} | ${formatMs(s.toolCpuMs)} | ${formatMs(s.engineCpuMs)} | ${s.exitCode} | ${s.ok ? "yes" : `no${s.why ? `: ${s.why}` : ""}`} | ${s.load !== undefined ? s.load.toFixed(1) : "–"} | \`${s.log}\` |`,
    );
  }
  out.push("");
  return `${out.join("\n")}`;
}

/**
 * Per build row and tool, the medians of the CPU each timed run used: the tool's side, the engine's side, and how
 * busy both kept the machine's cores over the run's wall time. Nothing when no run could be counted.
 */
function renderCpu(report) {
  const builds = report.samples.filter(
    (s) => s.scenario !== "plan" && s.ok && (s.toolCpuMs !== undefined || s.engineCpuMs !== undefined),
  );
  if (builds.length === 0) return [];
  const out = ["## Where the CPU goes", ""];
  out.push(
    "Medians over the timed runs that succeeded. Tool: the timed command and every process it waited for (for dockbuild " +
      "its Node process and the buildx plugin or Docker CLI runs; for a peer its CLI and plugin). Engine: dockerd with " +
      "what it waited for or still runs, that is its helpers (runc, its re-executions that set up each `RUN` step's " +
      "network) and the build steps' own processes. Busy: both together over the run's wall time" +
      `${report.cores ? ` on ${report.cores} cores` : ""}. When every tool makes the engine do the same work, a build ` +
      "is bound by the engine, and the tool's own share is what a faster tool can take away.",
    "",
    "| scenario | N | tool | wall | tool CPU | engine CPU | busy |",
    "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
  );
  const groups = new Map();
  for (const s of builds) {
    const key = `${s.scenario} ${s.n} ${s.tool}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(s);
  }
  for (const group of groups.values()) {
    const { scenario, n, tool } = group[0];
    const wall = median(group.map((s) => s.wallMs));
    const toolCpu = median(group.map((s) => s.toolCpuMs));
    const engineCpu = median(group.map((s) => s.engineCpuMs));
    const busy =
      report.cores && wall && toolCpu !== undefined && engineCpu !== undefined
        ? `${Math.round(((toolCpu + engineCpu) / (wall * report.cores)) * 100)}%`
        : "–";
    out.push(
      `| ${SCENARIO_TITLES[scenario] ?? scenario} | ${n} | ${tool} | ${formatMs(wall)} | ${formatMs(toolCpu)} | ${formatMs(engineCpu)} | ${busy} |`,
    );
  }
  out.push("");
  return out;
}

function abbreviate(names) {
  return names.length <= 4 ? names.join(", ") : `${names.slice(0, 3).join(", ")}, … ${names.at(-1)}`;
}

/** The bars the chart draws: one per build row, and for `plan` its time and memory against their budgets. */
export function chartBars(rows) {
  const bars = [];
  for (const row of rows) {
    const title = SCENARIO_TITLES[row.scenario] ?? row.scenario;
    if (row.scenario === "plan") {
      const t = row.tools.dockbuild;
      const ok = row.verdict !== "failed";
      bars.push({
        label: `plan, ${row.n} services: time ÷ 1 s`,
        value: ok && t?.medianMs !== undefined ? t.medianMs / TARGETS.plan.maxMs : undefined,
        target: 1,
        inclusive: false,
      });
      bars.push({
        label: `plan, ${row.n} services: memory ÷ 150 MB`,
        value: ok && t?.maxRssKb !== undefined ? t.maxRssKb / 1024 / TARGETS.plan.maxRssMb : undefined,
        target: 1,
        inclusive: false,
      });
    } else {
      bars.push({
        label: `${title}, ${row.n} services`,
        value: row.verdict === "failed" ? undefined : row.ratio,
        target: TARGETS[row.scenario]?.maxRatio,
        inclusive: TARGETS[row.scenario]?.inclusive === true,
      });
    }
  }
  return bars.map((b) => ({
    ...b,
    pass:
      b.value !== undefined && b.target !== undefined
        ? meets(b.value, { maxRatio: b.target, inclusive: b.inclusive })
        : undefined,
  }));
}

const escapeXml = (s) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** A horizontal bar chart of ratios, log scale, with a line at 1.0 and each bar's target as a dashed mark. */
export function renderSvg(rows, title) {
  const bars = chartBars(rows);
  const values = bars.flatMap((b) => [b.value, b.target]).filter((v) => v !== undefined && v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(0.1, ...values) * 0.9));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(2, ...values) * 1.1));
  const left = 250;
  const right = 730;
  const top = 48;
  const rowHeight = 30;
  const width = 800;
  const height = top + bars.length * rowHeight + 58;
  const x = (v) =>
    left + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (right - left);
  const parts = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${width / 2}" y="36" text-anchor="middle" fill="#555">dockbuild ÷ fastest peer (log scale; shorter is better; dashed blue: target)</text>`,
  );
  const bottom = top + bars.length * rowHeight;
  for (let p = Math.log10(lo); p <= Math.log10(hi) + 1e-9; p++) {
    const v = 10 ** p;
    parts.push(
      `<line x1="${x(v).toFixed(1)}" y1="${top - 4}" x2="${x(v).toFixed(1)}" y2="${bottom}" stroke="#ddd"/>`,
      `<text x="${x(v).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" fill="#555">${+v.toPrecision(3)}×</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    parts.push(`<text x="${left - 8}" y="${y + 19}" text-anchor="end">${escapeXml(bar.label)}</text>`);
    if (bar.value === undefined) {
      parts.push(
        `<text x="${left + 6}" y="${y + 19}" fill="#777">no ratio (a run failed or no peer finished)</text>`,
      );
    } else {
      const end = x(Math.min(Math.max(bar.value, lo), hi));
      const color = bar.pass === false ? "#c62828" : bar.pass ? "#2e7d32" : "#607d8b";
      parts.push(
        `<rect x="${left}" y="${y + 6}" width="${Math.max(1, end - left).toFixed(1)}" height="${rowHeight - 12}" fill="${color}"/>`,
        `<text x="${(end + 5).toFixed(1)}" y="${y + 19}">${bar.value.toFixed(2)}×</text>`,
      );
    }
    if (bar.target !== undefined) {
      const tx = x(bar.target).toFixed(1);
      parts.push(
        `<line x1="${tx}" y1="${y + 2}" x2="${tx}" y2="${y + rowHeight - 2}" stroke="#0d47a1" stroke-width="3" stroke-dasharray="3,2"/>`,
      );
    }
  });
  parts.push(
    `<line x1="${x(1).toFixed(1)}" y1="${top - 4}" x2="${x(1).toFixed(1)}" y2="${bottom}" stroke="#000" stroke-width="1.5"/>`,
    `<text x="${left}" y="${height - 22}" fill="#555">green: meets its target · red: misses it · black line: 1.0</text>`,
    `<text x="${left}" y="${height - 8}" fill="#555">the plan bars compare dockbuild with its own budgets, not with a peer</text>`,
    "</svg>",
  );
  return `${parts.join("\n")}\n`;
}
