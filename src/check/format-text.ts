import path from "node:path";
import { ruleInfo } from "./rules.js";
import type { Finding, Severity } from "./types.js";

/** What the text report says besides the findings. */
export interface TextReportOptions {
  /** Paths are shown relative to this folder. */
  cwd: string;
  /** How many services were checked. */
  services: number;
  strict: boolean;
  /** Lines about what could not be checked (a size not measured). */
  notes?: string[];
}

/** Findings grouped by Dockerfile, each with `file:line`, severity, rule, services, reason and fix. */
export function formatCheckText(findings: readonly Finding[], options: TextReportOptions): string {
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.location.file, [...(byFile.get(f.location.file) ?? []), f]);
  for (const [file, group] of byFile) {
    const shown = relative(file, options.cwd);
    lines.push(shown);
    for (const f of group) {
      const rule = ruleInfo(f.rule);
      lines.push(
        `  ${shown}:${f.location.line}: ${f.severity} ${f.rule} ${rule.name} (${f.services.join(", ")})`,
      );
      lines.push(`    ${f.message}`);
      const [intro = "", ...code] = f.fix.split("\n");
      lines.push(`    fix: ${intro}`);
      for (const c of code) lines.push(`      ${c}`);
    }
    lines.push("");
  }
  for (const note of options.notes ?? []) lines.push(`note: ${note}`);
  lines.push(summaryLine(findings, options));
  return lines.join("\n");
}

function summaryLine(findings: readonly Finding[], options: TextReportOptions): string {
  const services = `${options.services} service${options.services === 1 ? "" : "s"}`;
  if (findings.length === 0) return `no findings in ${services}`;
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const parts = (["error", "warning", "note"] as const)
    .map((s) => [s, count(s)] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? "" : "s"}`);
  const failing = options.strict
    ? "warnings and errors fail (--strict)"
    : "errors fail; --strict fails on warnings too";
  return `${findings.length} finding${findings.length === 1 ? "" : "s"} in ${services}: ${parts.join(", ")} (${failing})`;
}

function relative(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel.startsWith("..") ? file : rel;
}
