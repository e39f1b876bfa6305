import { contentKey, map, seq, type YEntry, type YMap, type YNode, type YSeq } from "./node.js";

// The Compose merge rules: https://github.com/compose-spec/compose-spec/blob/v2.6.0/13-merge.md
// (and compose-go's override/merge.go and override/uncity.go for the special paths).

type Rule = "replace" | "unique";

const BUILD_LISTS = [
  "tags",
  "platforms",
  "cache_from",
  "cache_to",
  "extra_hosts",
  "secrets",
  "ssh",
  "entitlements",
];

const RULES: [readonly string[], Rule][] = [
  [["services", "*", "command"], "replace"],
  [["services", "*", "entrypoint"], "replace"],
  [["services", "*", "healthcheck", "test"], "replace"],
  [["services", "*", "profiles"], "unique"],
  [["services", "*", "dns"], "unique"],
  [["services", "*", "cap_add"], "unique"],
  [["services", "*", "cap_drop"], "unique"],
  ...BUILD_LISTS.map((key): [string[], Rule] => [["services", "*", "build", key], "unique"]),
];

function ruleFor(path: readonly string[]): Rule | undefined {
  for (const [pattern, rule] of RULES) {
    if (pattern.length === path.length && pattern.every((part, i) => part === "*" || part === path[i])) {
      return rule;
    }
  }
  return undefined;
}

/**
 * Override files and `extends` combine models by Compose's merge rules, not by a plain deep merge.
 * Returns undefined when the override is tagged `!reset` (the key is removed).
 */
export function mergeNodes(base: YNode | undefined, over: YNode, path: readonly string[]): YNode | undefined {
  if (over.tag === "reset") return undefined;
  if (over.tag === "override" || base === undefined) return stripTags(over);
  if (over.kind === "scalar" && over.value === null) return base;
  const rule = ruleFor(path);
  if (rule === "replace") return over;
  if (base.kind === "map" && over.kind === "map") return mergeMaps(base, over, path);
  if (base.kind === "seq" && over.kind === "seq") return appendSeqs(base, over, rule === "unique");
  return over;
}

function mergeMaps(base: YMap, over: YMap, path: readonly string[]): YMap {
  const entries = new Map(base.entries);
  // A service keeps the location of its first definition; any other key takes the one that set it last.
  const keepBaseKey = path.length === 1 && path[0] === "services";
  for (const [key, entry] of over.entries) {
    const previous = entries.get(key);
    const merged =
      key.startsWith("x-") && !keepBaseKey
        ? stripTags(entry.value)
        : mergeNodes(previous?.value, entry.value, [...path, key]);
    if (merged === undefined) {
      entries.delete(key);
      continue;
    }
    const next: YEntry = { key: keepBaseKey && previous ? previous.key : entry.key, value: merged };
    entries.set(key, next);
  }
  return map(entries, base.origin);
}

function appendSeqs(base: YSeq, over: YSeq, unique: boolean): YSeq {
  if (!unique) return seq([...base.items, ...over.items], base.origin);
  const seen = new Set<string>();
  const items: YNode[] = [];
  for (const item of [...base.items, ...over.items]) {
    const key = contentKey(item);
    if (seen.has(key)) continue;
    seen.add(key);
    items.push(item);
  }
  return seq(items, base.origin);
}

/** A value with nothing under it to merge with: `!reset` entries are dropped and tags removed. */
function stripTags(node: YNode): YNode {
  let out = node;
  if (node.kind === "map") {
    let entries: Map<string, YEntry> | undefined;
    for (const [key, entry] of node.entries) {
      const value = entry.value.tag === "reset" ? undefined : stripTags(entry.value);
      if (value === entry.value) continue;
      entries ??= new Map(node.entries);
      if (value === undefined) entries.delete(key);
      else entries.set(key, { key: entry.key, value });
    }
    if (entries) out = map(entries, node.origin);
  } else if (node.kind === "seq") {
    const items = node.items.filter((item) => item.tag !== "reset").map(stripTags);
    if (items.length !== node.items.length || items.some((item, i) => item !== node.items[i])) {
      out = seq(items, node.origin);
    }
  }
  if (out.tag === undefined) return out;
  const copy = { ...out };
  delete copy.tag;
  return copy;
}
