import type { CheckConfig } from "../config/schema.js";
import type { BuildGraph } from "../graph/types.js";
import { builderImageUsers } from "./builder-images.js";
import type { ContextFacts } from "./context-facts.js";
import { parseDockerfileModel, type DockerfileModel } from "./dockerfile-model.js";
import { imageSize, parseSize, type MeasuredSize } from "./rules/image-size.js";
import { findRule, ruleInfo, STATIC_RULES } from "./rules.js";
import { viewService, type ServiceView } from "./service-view.js";
import type { Finding, RuleFinding, Severity } from "./types.js";

/** What `checkProject` reads besides the graph: the services asked for, their contexts, measured sizes. */
export interface CheckInput {
  graph: BuildGraph;
  /** The services to check, in the order given. */
  services: string[];
  /** Facts about each service's build context (and the .dockerignore its Dockerfile gets), by service. */
  contexts: ReadonlyMap<string, ContextFacts>;
  config?: CheckConfig;
  /** `check --sizes`: what was measured, by service. */
  sizes?: ReadonlyMap<string, MeasuredSize>;
}

const RANK: Record<Severity, number> = { note: 0, warning: 1, error: 2 };

/**
 * Run every rule over each service's stages (those its target builds, nothing else), merge what several
 * services share (one Dockerfile line, one finding), and apply the ignore comments and the config.
 */
export function checkProject(input: CheckInput): Finding[] {
  const models = new Map<string, DockerfileModel>();
  const merged = new Map<string, Finding>();
  const config = input.config ?? {};
  const builderImages = builderImageUsers(input.graph);
  for (const name of input.services) {
    const node = input.graph.nodes.get(name);
    if (!node || node.analysis.stages.length === 0) continue;
    let model = models.get(node.dockerfileLabel);
    if (!model) {
      model = parseDockerfileModel(node.dockerfileText);
      models.set(node.dockerfileLabel, model);
    }
    const view = viewService(
      node,
      model,
      input.graph.imageOwners,
      input.contexts.get(name),
      builderImages.get(name),
    );
    if (!view) continue;
    for (const found of findingsFor(view, input)) {
      if (isIgnored(found, view, config)) continue;
      const severity = severityOf(found, config);
      if (severity === "off") continue;
      const key = [found.rule, found.location.file, found.location.line, found.message, found.fix].join("\0");
      const existing = merged.get(key);
      if (existing) existing.services.push(name);
      else merged.set(key, { ...found, severity, services: [name] });
    }
  }
  return [...merged.values()].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.rule.localeCompare(b.rule),
  );
}

/** Whether a finding at or above the failing severity (error; warning with `--strict`) is among these. */
export function hasFailures(findings: readonly Finding[], strict: boolean): boolean {
  const threshold = RANK[strict ? "warning" : "error"];
  return findings.some((f) => RANK[f.severity] >= threshold);
}

function findingsFor(view: ServiceView, input: CheckInput): RuleFinding[] {
  const found = STATIC_RULES.flatMap((rule) => rule(view));
  const size = input.sizes?.get(view.node.name);
  if (size) {
    const limit = input.config?.maxSize?.[view.node.name];
    found.push(
      ...imageSize(view, size, {
        maxBytes: limit === undefined ? undefined : parseSize(limit),
        maxBuilderShare: input.config?.maxBuilderShare ?? 0.5,
      }),
    );
  }
  return found;
}

function isIgnored(found: RuleFinding, view: ServiceView, config: CheckConfig): boolean {
  const info = ruleInfo(found.rule);
  const names = new Set([info.id.toLowerCase(), info.name]);
  const comment = view.model.ignored.get(found.location.line);
  if (comment && (comment.has("*") || [...names].some((n) => comment.has(n)))) return true;
  return (config.ignore ?? []).some((entry) => {
    const rule = typeof entry === "string" ? entry : entry.rule;
    if (findRule(rule)?.id !== found.rule) return false;
    return (
      typeof entry === "string" || entry.services === undefined || entry.services.includes(view.node.name)
    );
  });
}

function severityOf(found: RuleFinding, config: CheckConfig): Severity | "off" {
  const info = ruleInfo(found.rule);
  for (const [key, value] of Object.entries(config.severity ?? {})) {
    if (findRule(key)?.id === found.rule) return value;
  }
  return info.severity;
}
