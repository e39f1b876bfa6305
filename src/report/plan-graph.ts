import type { BuildPlan } from "../plan/plan.js";

/** Words that Mermaid or DOT read as a keyword where a node id stands (`end`, `node`, `graph`…), in any case. */
const KEYWORDS = [
  "end",
  "graph",
  "flowchart",
  "subgraph",
  "style",
  "class",
  "classdef",
  "click",
  "linkstyle",
  "direction",
  "node",
  "edge",
  "digraph",
  "strict",
];

/**
 * Node ids safe for Mermaid and DOT (letters, digits, `_`), one per service or stage: `web-app`, `web_app`
 * and `web.app` read alike once made safe, so a later one gets a number (`web_app_2`) instead of merging;
 * so does a keyword (`node_2`).
 */
function nodeIds(): (service: string, stage?: string) => string {
  const byKey = new Map<string, string>();
  const taken = new Set<string>(KEYWORDS);
  const ids = (service: string, stage?: string): string => {
    const key = stage === undefined ? service : `${service}\0${stage}`;
    let id = byKey.get(key);
    if (id !== undefined) return id;
    const plain = (text: string) => text.replace(/[^A-Za-z0-9_]/g, "_");
    const safe = stage === undefined ? plain(service) : `${ids(service)}__${plain(stage)}`;
    id = safe;
    for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${safe}_${n}`;
    taken.add(id.toLowerCase());
    byKey.set(key, id);
    return id;
  };
  return ids;
}

/** The service graph (and with `stages`, each service's stage subgraph) as a Mermaid flowchart. */
export function planToMermaid(plan: BuildPlan, options: { stages: boolean }): string {
  const id = nodeIds();
  const lines = ["flowchart LR"];
  for (const { node } of plan.services) {
    if (options.stages && node.stages.length > 0) {
      lines.push(`  subgraph ${id(node.name)}["${node.name}"]`);
      for (const stage of node.stages) lines.push(`    ${id(node.name, stage.name)}["${stage.name}"]`);
      for (const stage of node.stages) {
        for (const dep of stageDeps(stage))
          lines.push(`    ${id(node.name, dep)} --> ${id(node.name, stage.name)}`);
      }
      lines.push("  end");
    } else {
      lines.push(`  ${id(node.name)}["${node.name}"]`);
    }
  }
  for (const { node } of plan.services) {
    for (const edge of node.edges) lines.push(`  ${id(edge.to)} -->|${edge.kind}| ${id(node.name)}`);
  }
  return lines.join("\n");
}

/** The same graph in Graphviz DOT. */
export function planToDot(plan: BuildPlan, options: { stages: boolean }): string {
  const id = nodeIds();
  const lines = ["digraph dockbuild {", "  rankdir=LR;", "  node [shape=box];"];
  for (const { node } of plan.services) {
    if (options.stages && node.stages.length > 0) {
      lines.push(`  subgraph cluster_${id(node.name)} {`, `    label="${node.name}";`);
      lines.push(`    ${id(node.name)} [label="${node.name}", shape=doubleoctagon];`);
      for (const stage of node.stages)
        lines.push(`    ${id(node.name, stage.name)} [label="${stage.name}"];`);
      for (const stage of node.stages) {
        for (const dep of stageDeps(stage))
          lines.push(`    ${id(node.name, dep)} -> ${id(node.name, stage.name)};`);
      }
      const last = node.stages.at(-1);
      if (last) lines.push(`    ${id(node.name, last.name)} -> ${id(node.name)} [style=dashed];`);
      lines.push("  }");
    } else {
      lines.push(`  ${id(node.name)} [label="${node.name}"];`);
    }
  }
  for (const { node } of plan.services) {
    for (const edge of node.edges) lines.push(`  ${id(edge.to)} -> ${id(node.name)} [label="${edge.kind}"];`);
  }
  lines.push("}");
  return lines.join("\n");
}

function stageDeps(stage: BuildPlan["services"][number]["node"]["stages"][number]): string[] {
  const deps = new Set<string>();
  if (stage.base.kind === "stage") deps.add(stage.base.stage);
  for (const source of stage.sources) if (source.from.kind === "stage") deps.add(source.from.stage);
  return [...deps];
}
