import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Log, ReportingDescriptor, Result } from "sarif";
import { RULES } from "./rules.js";
import type { Finding } from "./types.js";

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT = "%SRCROOT%";

/**
 * A SARIF 2.1.0 log for code scanning: one run, every rule described, one result per finding with its file
 * (relative to `cwd`, the checkout, where it can be), line, services (`properties.services`) and fix.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function checkToSarif(findings: readonly Finding[], options: { cwd: string; version: string }): Log {
  const rules: ReportingDescriptor[] = RULES.map((rule) => ({
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.summary },
    help: { text: `${rule.summary} See docs/check.md#${rule.id.toLowerCase()}.` },
    defaultConfiguration: { level: rule.severity },
  }));
  const results: Result[] = findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: RULES.findIndex((r) => r.id === f.rule),
    level: f.severity,
    message: { text: `${f.message} (services: ${f.services.join(", ")}). Fix: ${f.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f.location.file, options.cwd),
          region: { startLine: f.location.line },
        },
      },
    ],
    properties: { services: f.services, fix: f.fix },
  }));
  return {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "dockbuild", version: options.version, rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(options.cwd).href}/` } },
        results,
      },
    ],
  };
}

function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  if (!path.isAbsolute(file)) return { uri: encodeURIComponent(file) };
  const rel = path.relative(cwd, file);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return { uri: pathToFileURL(file).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}
