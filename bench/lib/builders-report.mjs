// Pure: the builders scenario and the scheduler simulation as markdown sections of the benchmark report, and
// the simulation's chart (efficiency against the number of builders, one line per placement policy).
import { BUILDERS_TARGET } from "./builders.mjs";
import { formatMs } from "./stats.mjs";

const VERDICTS = { pass: "✅ pass", miss: "❌ miss", failed: "💥 a run failed" };

/** The builders scenario: one row per builder count, then every run. */
export function renderBuildersSection(result) {
  const out = ["## Several builders: the monorepo on 1, 2 and 3 engines", ""];
  if (result.skipped) return [...out, `Not run: ${result.skipped}.`, ""].join("\n");
  const work = Object.entries(result.work)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  out.push(
    `${result.services} services built cold by dockbuild on engines of the bench's own (started beside the machine's, ` +
      `each with its own bridge), ${result.slots} slots per builder, handing images to each other through Debian's ` +
      `docker-registry on 127.0.0.1; the final images end in the first builder's engine. Steps mostly sleep (${work}): ` +
      "they stand in for remote machines' own CPUs. Medians; every engine's images and build cache are removed before each run.",
    "",
    "| builders | wall (median) | ÷ one builder | builds started per builder (last run) | target |",
    "| ---: | ---: | ---: | --- | --- |",
  );
  for (const row of result.summary.rows) {
    const last = result.samples.filter((s) => s.builders === row.builders).at(-1);
    const spread = Object.entries(last?.perBuilder ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([b, n]) => `${b}: ${n}`)
      .join(", ");
    const target = row.builders === 1 ? "" : row.builders === 3 ? `falls; ≤ ${BUILDERS_TARGET}` : "falls";
    out.push(
      `| ${row.builders} | ${formatMs(row.medianMs)} | ${row.ratio?.toFixed(2) ?? "–"} | ${spread || "–"} | ${target} |`,
    );
  }
  out.push(
    "",
    `Result: ${VERDICTS[result.summary.verdict]}${result.summary.why ? ` (${result.summary.why})` : ""}.`,
    "",
  );
  out.push("| builders | run | wall | ok | load | log |", "| ---: | ---: | ---: | --- | ---: | --- |");
  for (const s of result.samples) {
    out.push(
      `| ${s.builders} | ${s.run} | ${formatMs(s.wallMs)} | ${s.ok ? "yes" : `no: ${s.why}`} | ${s.load?.toFixed(1) ?? "–"} | \`${s.log}\` |`,
    );
  }
  out.push("");
  return out.join("\n");
}

/** `27.3 GB`, `850 MB`. */
export function formatBytes(bytes) {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`;
}

/** `2 h 05 m`, `13 m 20 s`: simulated times are long. */
export function formatSimMs(ms) {
  const s = Math.round(ms / 1000);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} m`;
  return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, "0")} s`;
}

/** The simulation: how it was run, the chart, then one table per graph size. */
export function renderSimulationSection(simulation, chart) {
  const { rows, costs, slots, runs } = simulation;
  const policies = [...new Set(rows.map((r) => r.policy))];
  const out = [
    "## Scheduler simulation: 500 and 5,000 services over 1 to 64 builders",
    "",
    "dockbuild's own scheduler and placement (`dist/run.js`, the code `dockbuild` runs) replayed with a simulated " +
      `clock on generated graphs (2% base images, 18% libraries, 80% applications built on a base and 1–3 ` +
      "libraries; log-normal build times of median 120 s, 45 s and 60 s; image sizes of median 300, 60 and 120 MB), " +
      `${slots} slots per builder. A build costs its build time — cold, or ${costs.warmFactor} of it on the builder ` +
      `that built its context the run before — plus pulling each upstream image its builder lacks and pushing its ` +
      `own (${costs.bandwidthBytesPerMs / 1000} MB/s, ${costs.latencyMs} ms per transfer). The numbers are those of ` +
      `the second of ${runs} runs, in which every service is built again (a change in every base image) with the ` +
      "first run's placement warm. Efficiency is the ideal (the longest chain or all the work spread evenly, every " +
      "build warm, nothing moved) ÷ the makespan; handed off is what builders pulled from the registry.",
    "",
  ];
  if (chart) out.push(`![efficiency by number of builders and placement](${chart})`, "");
  for (const n of [...new Set(rows.map((r) => r.n))]) {
    out.push(
      `### ${n.toLocaleString("en-US")} services`,
      "",
      `| builders | ${policies.map((p) => `${p}: makespan · efficiency · warm · handed off`).join(" | ")} |`,
      `| ---: | ${policies.map(() => "---").join(" | ")} |`,
    );
    for (const builders of [...new Set(rows.filter((r) => r.n === n).map((r) => r.builders))]) {
      const cells = policies.map((policy) => {
        const r = rows.find((x) => x.n === n && x.builders === builders && x.policy === policy);
        return r === undefined
          ? "–"
          : `${formatSimMs(r.makespanMs)} · ${r.efficiency.toFixed(2)} · ${Math.round(r.warmShare * 100)}% · ${formatBytes(r.handOffBytes)}`;
      });
      out.push(`| ${builders} | ${cells.join(" | ")} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

const COLORS = ["#2e7d32", "#c62828", "#1565c0", "#6a1b9a"];
const escapeXml = (s) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** Efficiency (0–1) against builders (log₂ axis), one panel per graph size, one line per policy. */
export function renderSimulationSvg(rows) {
  const sizes = [...new Set(rows.map((r) => r.n))];
  const policies = [...new Set(rows.map((r) => r.policy))];
  const counts = [...new Set(rows.map((r) => r.builders))].sort((a, b) => a - b);
  const panel = { width: 380, height: 240, left: 50, top: 60 };
  const width = panel.left + sizes.length * (panel.width + 40);
  const height = panel.top + panel.height + 70;
  const lo = Math.log2(counts[0] ?? 1);
  const hi = Math.log2(counts.at(-1) ?? 2);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">dockbuild's scheduler, simulated: efficiency (ideal ÷ makespan) by number of builders</text>`,
  ];
  policies.forEach((policy, i) => {
    const x = panel.left + i * 170;
    parts.push(
      `<line x1="${x}" y1="40" x2="${x + 24}" y2="40" stroke="${COLORS[i % COLORS.length]}" stroke-width="3"/>`,
      `<text x="${x + 30}" y="44">${escapeXml(policy)}</text>`,
    );
  });
  sizes.forEach((n, p) => {
    const x0 = panel.left + p * (panel.width + 40);
    const y0 = panel.top;
    const x = (count) => x0 + ((Math.log2(count) - lo) / Math.max(1e-9, hi - lo)) * panel.width;
    const y = (eff) => y0 + (1 - Math.min(1, Math.max(0, eff))) * panel.height;
    parts.push(
      `<text x="${x0 + panel.width / 2}" y="${y0 - 6}" text-anchor="middle" font-weight="bold">${n.toLocaleString("en-US")} services</text>`,
      `<rect x="${x0}" y="${y0}" width="${panel.width}" height="${panel.height}" fill="none" stroke="#999"/>`,
    );
    for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
      parts.push(
        `<line x1="${x0}" y1="${y(tick)}" x2="${x0 + panel.width}" y2="${y(tick)}" stroke="#eee"/>`,
        `<text x="${x0 - 6}" y="${y(tick) + 4}" text-anchor="end" fill="#555">${tick}</text>`,
      );
    }
    for (const count of counts)
      parts.push(
        `<text x="${x(count).toFixed(1)}" y="${y0 + panel.height + 16}" text-anchor="middle" fill="#555">${count}</text>`,
      );
    parts.push(
      `<text x="${x0 + panel.width / 2}" y="${y0 + panel.height + 34}" text-anchor="middle" fill="#555">builders (${rows[0]?.slots ?? "?"} slots each)</text>`,
    );
    policies.forEach((policy, i) => {
      const points = rows
        .filter((r) => r.n === n && r.policy === policy)
        .sort((a, b) => a.builders - b.builders)
        .map((r) => `${x(r.builders).toFixed(1)},${y(r.efficiency).toFixed(1)}`);
      parts.push(
        `<polyline points="${points.join(" ")}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/>`,
        ...points.map((pt) => {
          const [px, py] = pt.split(",");
          return `<circle cx="${px}" cy="${py}" r="3" fill="${COLORS[i % COLORS.length]}"/>`;
        }),
      );
    });
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/** The sections these scenarios add to the benchmark report (after its own), and the chart file they cite. */
export function renderExtraSections(report, simulationChart) {
  const sections = [];
  if (report.builders) sections.push(renderBuildersSection(report.builders));
  if (report.simulation) sections.push(renderSimulationSection(report.simulation, simulationChart));
  return sections.length === 0 ? "" : `\n${sections.join("\n")}`;
}

/** A report of only these scenarios: what ran, their sections, the machine. */
export function renderExtraReport(report, simulationChart) {
  const out = [
    `# ${report.title}`,
    "",
    `\`${report.command}\` — started ${report.startedAt}, took ${formatMs(report.durationMs)}.`,
    renderExtraSections(report, simulationChart),
    "## Machine",
    "",
    "| | |",
    "| --- | --- |",
    ...report.machine.map(([k, v]) => `| ${k} | ${v} |`),
    "",
  ];
  return out.join("\n");
}
