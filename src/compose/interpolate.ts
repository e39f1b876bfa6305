import type { Problem } from "../errors.js";
import { formatPath, map, scalar, seq, toLocation, type YEntry, type YNode } from "./node.js";
import { pattern, rootScope, type PathScope } from "./path-match.js";
import { substitute, type Lookup } from "./template.js";
import { addUnsetUse, type UnsetUses } from "./unset-variables.js";

export interface Interpolated {
  root: YNode;
  problems: Problem[];
  /** Variables used without a default that were not set, where a build reads them, with where. */
  unset: UnsetUses;
}

/**
 * What a build reads from a compose file: only variables unset here are worth a warning. Everything else
 * (`environment:`, `command:`, hooks, healthchecks, networks…) is for running containers. A service's
 * `image`, `platform` and `profiles` matter only when it builds, which is known after the files are merged:
 * normalizeServices warns for those (every interpolated value keeps the variables it missed).
 */
const BUILD_READ = [
  "name",
  "include",
  "services.*.build",
  "services.*.extends",
  "services.*.x-dockbuild",
  "secrets.*.file",
  "secrets.*.environment",
].map(pattern);

/**
 * Compose substitutes variables in every string value (never in keys), and fails on a bad template or a
 * `:?` anywhere in the file; each failure keeps its file:line. Unset variables are reported only where a
 * build reads them.
 */
export function interpolateTree(root: YNode, lookup: Lookup): Interpolated {
  const problems: Problem[] = [];
  const unset: UnsetUses = new Map();
  // A node shared through YAML aliases is interpolated (and reported) once per kind of place it is used.
  const done = new WeakMap<PathScope, WeakMap<YNode, YNode>>();

  // One path stack for the whole walk: it is only copied when a problem is reported.
  const path: (string | number)[] = [];

  const substituteScalar = (node: YNode & { kind: "scalar" }, scope: PathScope): YNode => {
    if (typeof node.value !== "string" || !node.value.includes("$")) return node;
    const result = substitute(node.value, lookup);
    if (scope.inside) for (const name of result.unset) addUnsetUse(unset, name, toLocation(node.origin));
    if (result.error !== undefined) {
      problems.push({
        location: toLocation(node.origin),
        message: `${formatPath(path)}: ${result.error}`,
        hint:
          result.missing !== undefined
            ? `set ${result.missing} in the environment or in the .env file`
            : result.error.startsWith("invalid")
              ? "write a literal $ as $$"
              : "simplify the value",
      });
    }
    return {
      ...scalar(result.value, node.origin),
      ...(node.tag ? { tag: node.tag } : {}),
      ...(result.unset.length > 0 ? { unset: result.unset } : {}),
    };
  };

  const visit = (node: YNode, scope: PathScope): YNode => {
    let cache = done.get(scope);
    if (!cache) {
      cache = new WeakMap();
      done.set(scope, cache);
    }
    const cached = cache.get(node);
    if (cached) return cached;
    let out: YNode = node;
    if (node.kind === "scalar") out = substituteScalar(node, scope);
    else if (node.kind === "seq") {
      const items = node.items.map((item, i) => {
        path.push(i);
        const value = visit(item, scope.child(i));
        path.pop();
        return value;
      });
      if (items.some((item, i) => item !== node.items[i]))
        out = { ...seq(items, node.origin), tag: node.tag };
    } else {
      let entries: Map<string, YEntry> | undefined;
      for (const [key, entry] of node.entries) {
        path.push(key);
        const value = visit(entry.value, scope.child(key));
        path.pop();
        if (value === entry.value) continue;
        entries ??= new Map(node.entries);
        entries.set(key, { key: entry.key, value });
      }
      if (entries) out = { ...map(entries, node.origin), tag: node.tag };
    }
    cache.set(node, out);
    return out;
  };

  return { root: visit(root, rootScope(BUILD_READ)), problems, unset };
}
