import type { Problem } from "../errors.js";
import { formatPath, map, scalar, seq, toLocation, type YEntry, type YNode } from "./node.js";
import { substitute, type Lookup } from "./template.js";

export interface Interpolated {
  root: YNode;
  problems: Problem[];
  /** Variables used without a default that were not set, in first-use order. */
  unset: string[];
}

/** The warning Compose prints for a variable that is used but not set. */
export function unsetWarning(name: string): string {
  return `The "${name}" variable is not set. Defaulting to a blank string.`;
}

/** Compose substitutes variables in every string value (never in keys), and each failure keeps its file:line. */
export function interpolateTree(root: YNode, lookup: Lookup): Interpolated {
  const problems: Problem[] = [];
  const unset = new Set<string>();
  // A collection shared through a YAML alias is interpolated (and reported) once.
  const done = new WeakMap<YNode, YNode>();

  // One path stack for the whole walk: it is only copied when a problem is reported.
  const path: (string | number)[] = [];

  const visit = (node: YNode): YNode => {
    if (node.kind === "scalar") {
      if (typeof node.value !== "string" || !node.value.includes("$")) return node;
      const result = substitute(node.value, lookup);
      for (const name of result.unset) unset.add(name);
      if (result.error !== undefined) {
        problems.push({
          location: toLocation(node.origin),
          message: `${formatPath(path)}: ${result.error}`,
          hint:
            result.missing === undefined
              ? "write a literal $ as $$"
              : `set ${result.missing} in the environment or in the .env file`,
        });
      }
      return { ...scalar(result.value, node.origin), ...(node.tag ? { tag: node.tag } : {}) };
    }
    const cached = done.get(node);
    if (cached) return cached;
    let out: YNode = node;
    if (node.kind === "seq") {
      const items = node.items.map((item, i) => {
        path.push(i);
        const value = visit(item);
        path.pop();
        return value;
      });
      if (items.some((item, i) => item !== node.items[i]))
        out = { ...seq(items, node.origin), tag: node.tag };
    } else {
      let entries: Map<string, YEntry> | undefined;
      for (const [key, entry] of node.entries) {
        path.push(key);
        const value = visit(entry.value);
        path.pop();
        if (value === entry.value) continue;
        entries ??= new Map(node.entries);
        entries.set(key, { key: entry.key, value });
      }
      if (entries) out = { ...map(entries, node.origin), tag: node.tag };
    }
    done.set(node, out);
    return out;
  };

  return { root: visit(root), problems, unset: [...unset] };
}
