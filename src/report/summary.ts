import { styleText } from "node:util";
import type { JobResult, JobStatus } from "../run/types.js";
import {
  byService,
  formatBytes,
  formatCached,
  formatDuration,
  jobName,
  overBuilders,
  STATUS_TEXT,
  type ServiceResult,
} from "./format.js";

/** What the summary needs to know of the run besides its results. */
export interface SummaryInfo {
  durationMs: number;
  interrupted: boolean;
  /** Color the statuses (the caller knows whether its stream is a terminal). */
  color?: boolean;
}

const FINAL: JobStatus[] = ["built", "up-to-date", "failed", "skipped", "cancelled"];
const HEADERS = ["SERVICE", "TARGET", "STATUS", "TIME", "CACHED", "SIZE"];
/** Over builders, where each build ran comes after its status. */
const FLEET_HEADERS = ["SERVICE", "TARGET", "STATUS", "BUILDER", "TIME", "CACHED", "SIZE"];
const STATUS_COLOR: Partial<Record<JobStatus, Parameters<typeof styleText>[0]>> = {
  built: "green",
  "up-to-date": "dim",
  failed: ["red", "bold"],
  skipped: "yellow",
  cancelled: "yellow",
};

/** What a person reads after a run: a row per service, then why each failure failed, then one closing line. */
export function formatSummary(results: readonly JobResult[], info: SummaryInfo): string {
  const paint = (format: Parameters<typeof styleText>[0] | undefined, text: string) =>
    info.color && format ? styleText(format, text, { validateStream: false }) : text;
  const rows = byService(results);
  const blocks: string[] = [];
  if (rows.length > 0) blocks.push(renderTable(rows, paint, fleetRun(results)).join("\n"));

  for (const result of results.filter((r) => r.status === "failed")) {
    const lines = [paint(["red", "bold"], `${jobName(result.job)} failed`)];
    if (result.command) lines.push(`  $ ${result.command}`);
    const errors = result.errorLines?.length ? result.errorLines : ["(the engine printed no error)"];
    lines.push(...errors.map((line) => `    ${line}`.trimEnd()));
    blocks.push(lines.join("\n"));
  }
  const skipped = results.filter((r) => r.status === "skipped");
  if (skipped.length > 0) {
    blocks.push(skipped.map((r) => `${jobName(r.job)} skipped${r.reason ? `: ${r.reason}` : ""}`).join("\n"));
  }
  blocks.push(closingLine(rows, info));
  return blocks.join("\n\n");
}

/** The same summary as a Markdown table, for `$GITHUB_STEP_SUMMARY`. */
export function formatGithubStepSummary(results: readonly JobResult[], info: SummaryInfo): string {
  const rows = byService(results);
  const fleet = fleetRun(results);
  const headers = fleet ? FLEET_HEADERS : HEADERS;
  const lines = [`### dockbuild: ${closingLine(rows, info)}`, ""];
  if (rows.length > 0) {
    lines.push(`| ${headers.map(titleCase).join(" | ")} |`, `|${" --- |".repeat(headers.length)}`);
    for (const row of rows) {
      const cells = rowCells(row, fleet).map(escapeCell);
      if (row.sameBuildAs) cells.push(`same build as \`${row.sameBuildAs}\``, "", "");
      cells[2] = `${STATUS_ICON[row.result.status]} ${cells[2]}`;
      lines.push(`| ${cells.join(" | ")} |`);
    }
  }
  for (const result of results.filter((r) => r.status === "failed")) {
    const body = [...(result.command ? [`$ ${result.command}`] : []), ...(result.errorLines ?? [])];
    const fence = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
    lines.push(
      "",
      `<details open><summary><strong>${escapeHtml(jobName(result.job))}</strong> failed</summary>`,
      "",
      `${fence}text`,
      ...body,
      fence,
      "",
      "</details>",
    );
  }
  const skipped = results.filter((r) => r.status === "skipped");
  if (skipped.length > 0) {
    lines.push(
      "",
      ...skipped.map((r) => `- \`${jobName(r.job)}\` skipped${r.reason ? `: ${r.reason}` : ""}`),
    );
  }
  return lines.join("\n");
}

const STATUS_ICON: Record<JobStatus, string> = {
  pending: "⏳",
  running: "⏳",
  built: "✅",
  "up-to-date": "☑️",
  failed: "❌",
  skipped: "⏭️",
  cancelled: "⛔",
};

/** Whether the results come from a run over builders (the table then has a BUILDER column). */
function fleetRun(results: readonly JobResult[]): boolean {
  return results.some(overBuilders);
}

/** Where a build ran: its builder (`b1, after b2 failed`), `registry` for a result found there, or `-`. */
function builderCell(result: JobResult): string {
  if (result.builder !== undefined)
    return result.retriedFrom !== undefined
      ? `${result.builder}, after ${result.retriedFrom} failed`
      : result.builder;
  return result.registryImage !== undefined && result.status === "up-to-date" ? "registry" : "-";
}

/** SERVICE, TARGET, STATUS, (BUILDER,) and for a primary row TIME, CACHED and SIZE. */
function rowCells({ service, result, sameBuildAs }: ServiceResult, fleet = false): string[] {
  const cells = [service, result.job.target ?? "-", STATUS_TEXT[result.status]];
  if (fleet) cells.push(sameBuildAs ? "" : builderCell(result));
  if (sameBuildAs) return cells;
  const ran = result.durationMs > 0 || ["built", "up-to-date", "failed"].includes(result.status);
  cells.push(
    ran ? formatDuration(result.durationMs) : "-",
    formatCached(result.steps, result.cachedSteps),
    result.sizeBytes === undefined
      ? "-"
      : result.builderStage
        ? `${formatBytes(result.sizeBytes)} (${result.builderStage.name} ${formatBytes(result.builderStage.sizeBytes)})`
        : formatBytes(result.sizeBytes),
  );
  return cells;
}

function renderTable(
  rows: ServiceResult[],
  paint: (format: Parameters<typeof styleText>[0] | undefined, text: string) => string,
  fleet: boolean,
): string[] {
  const headers = fleet ? FLEET_HEADERS : HEADERS;
  const cells = rows.map((row) => rowCells(row, fleet));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const render = (row: string[], style: (text: string, column: number) => string) =>
    row
      .map((cell, i) => style(i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0), i))
      .join("  ")
      .trimEnd();
  const lines = [render(headers, (text) => paint("bold", text))];
  rows.forEach((row, r) => {
    const line = cells[r] ?? [];
    if (row.sameBuildAs) line.push(`same build as ${row.sameBuildAs}`);
    lines.push(render(line, (text, i) => (i === 2 ? paint(STATUS_COLOR[row.result.status], text) : text)));
  });
  return lines;
}

/** `4 built, 1 up to date, 1 failed, 2 skipped, 0 cancelled in 38.2s`, counted per service. */
function closingLine(rows: ServiceResult[], info: SummaryInfo): string {
  const counts = FINAL.map((status) => {
    const n = rows.filter((r) => r.result.status === status).length;
    return `${n} ${STATUS_TEXT[status]}`;
  });
  return `${counts.join(", ")} in ${formatDuration(info.durationMs)}${info.interrupted ? " (interrupted)" : ""}`;
}

function titleCase(header: string): string {
  return header.charAt(0) + header.slice(1).toLowerCase();
}

function escapeCell(text: string): string {
  return escapeHtml(text).replaceAll("|", "\\|");
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function longestBacktickRun(lines: string[]): number {
  return Math.max(0, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((m) => m.length)));
}
