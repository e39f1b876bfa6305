import type { CheckConfig } from "../config/schema.js";
import { findRule, RULES } from "./rules.js";

/** A problem in the config's `check` key, with the key path it is at. */
export interface CheckSettingsIssue {
  path: (string | number)[];
  message: string;
  hint: string;
}

/** Rule ids and names in `check.ignore` and `check.severity` must name rules; every unknown one is listed. */
export function validateCheckSettings(config: CheckConfig | undefined): CheckSettingsIssue[] {
  const issues: CheckSettingsIssue[] = [];
  const known = RULES.map((r) => `${r.id} (${r.name})`).join(", ");
  const unknown = (path: (string | number)[], rule: string) =>
    issues.push({ path, message: `unknown rule "${rule}"`, hint: `rules: ${known}` });
  for (const [i, entry] of (config?.ignore ?? []).entries()) {
    const rule = typeof entry === "string" ? entry : entry.rule;
    if (!findRule(rule))
      unknown(typeof entry === "string" ? ["check", "ignore", i] : ["check", "ignore", i, "rule"], rule);
  }
  for (const key of Object.keys(config?.severity ?? {})) {
    if (!findRule(key)) unknown(["check", "severity", key], key);
  }
  return issues;
}
