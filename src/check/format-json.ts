import { ruleInfo } from "./rules.js";
import type { Finding } from "./types.js";

/** `dockbuild check --format json`; more fields may be added, none of these removed. */
export interface CheckJson {
  version: 1;
  /** Whether a finding at or above the failing severity was found (the exit code is then 1). */
  failed: boolean;
  services: string[];
  findings: {
    rule: string;
    name: string;
    severity: Finding["severity"];
    file: string;
    line: number;
    services: string[];
    message: string;
    fix: string;
  }[];
  notes: string[];
}

/** The findings as data, for scripts. */
export function checkToJson(
  findings: readonly Finding[],
  info: { services: string[]; failed: boolean; notes?: string[] },
): CheckJson {
  return {
    version: 1,
    failed: info.failed,
    services: info.services,
    findings: findings.map((f) => ({
      rule: f.rule,
      name: ruleInfo(f.rule).name,
      severity: f.severity,
      file: f.location.file,
      line: f.location.line,
      services: f.services,
      message: f.message,
      fix: f.fix,
    })),
    notes: info.notes ?? [],
  };
}
