import {
  isMap,
  isScalar,
  isSeq,
  map,
  scalar,
  seq,
  text,
  type YEntry,
  type YMap,
  type YNode,
} from "./node.js";

/**
 * Short and list forms must become one shape before merging, or an override's `args: [A=1]` could not
 * merge into a base's `args: {B: 2}`, nor `build: ./dir` into `build: {target: x}`.
 * Only valid shapes are rewritten; anything else is left for validation to report.
 */
export function normalizeServiceForms(service: YNode): YNode {
  if (!isMap(service)) return service;
  const entries = new Map(service.entries);
  const dependsOn = entries.get("depends_on");
  if (dependsOn && isSeq(dependsOn.value)) {
    const value = listToMap(dependsOn.value.items, dependsOn.value, "empty");
    entries.set("depends_on", { ...dependsOn, value: tagged(value, dependsOn.value) });
  }
  const build = entries.get("build");
  if (build) entries.set("build", { ...build, value: tagged(normalizeBuildForms(build.value), build.value) });
  return map(entries, service.origin);
}

function normalizeBuildForms(node: YNode): YNode {
  if (isScalar(node) && typeof node.value === "string") {
    return map(new Map([["context", { key: node.origin, value: node }]]), node.origin);
  }
  if (!isMap(node)) return node;
  const entries = new Map(node.entries);
  const rewrite = (key: string, change: (value: YNode) => YNode): void => {
    const entry = entries.get(key);
    if (entry) entries.set(key, { key: entry.key, value: tagged(change(entry.value), entry.value) });
  };
  rewrite("args", (v) => (isSeq(v) ? listToMap(v.items, v, "null") : v));
  rewrite("labels", (v) => (isSeq(v) ? listToMap(v.items, v, "empty-string") : v));
  rewrite("additional_contexts", (v) => (isSeq(v) ? listToMap(v.items, v, "null") : v));
  rewrite("extra_hosts", extraHosts);
  rewrite("ssh", ssh);
  rewrite("secrets", (v) =>
    isSeq(v)
      ? seq(
          v.items.map((item) => (isScalar(item) ? sourceOnly(item) : item)),
          v.origin,
        )
      : v,
  );
  rewrite("ulimits", (v) => {
    if (!isMap(v)) return v;
    const limits = new Map<string, YEntry>();
    for (const [name, entry] of v.entries) {
      const value = isScalar(entry.value) ? softHard(entry.value) : entry.value;
      limits.set(name, { key: entry.key, value });
    }
    return map(limits, v.origin);
  });
  return map(entries, node.origin);
}

/** `- KEY=value` items as a mapping; a bare `- KEY` gets `missing` (null: "from the environment"). */
function listToMap(items: YNode[], list: YNode, missing: "null" | "empty-string" | "empty"): YMap {
  const entries = new Map<string, YEntry>();
  for (const item of items) {
    const value = text(item) ?? "";
    const eq = value.indexOf("=");
    const key = eq < 0 ? value : value.slice(0, eq);
    let out: YNode;
    if (eq >= 0) out = scalar(value.slice(eq + 1), item.origin);
    else if (missing === "empty") out = map(new Map(), item.origin);
    else out = scalar(missing === "null" ? null : "", item.origin);
    entries.set(key, { key: item.origin, value: out });
  }
  return map(entries, list.origin);
}

/** Hosts become `host:ip` items: from a mapping (`host: ip` or `host: [ip, …]`) or from `host=ip`. */
function extraHosts(node: YNode): YNode {
  if (isSeq(node)) {
    return seq(
      node.items.map((item) => {
        const value = text(item);
        if (value === undefined || !/^[^:=]+=/.test(value)) return item;
        return scalar(value.replace("=", ":"), item.origin);
      }),
      node.origin,
    );
  }
  if (!isMap(node)) return node;
  const items: YNode[] = [];
  for (const [host, entry] of node.entries) {
    const ips = isSeq(entry.value) ? entry.value.items : [entry.value];
    for (const ip of ips) items.push(scalar(`${host}:${text(ip) ?? ""}`, ip.origin));
  }
  return seq(items, node.origin);
}

/** SSH entries become `default` / `id=path` items from a string, a list or a mapping. */
function ssh(node: YNode): YNode {
  if (isScalar(node) && typeof node.value === "string") return seq([node], node.origin);
  if (!isMap(node)) return node;
  const items: YNode[] = [];
  for (const [id, entry] of node.entries) {
    const path = text(entry.value);
    items.push(scalar(path === undefined || path === "" ? id : `${id}=${path}`, entry.key));
  }
  return seq(items, node.origin);
}

/** Keeps a `!reset` / `!override` tag on a rewritten node. */
function tagged(node: YNode, original: YNode): YNode {
  return original.tag === undefined || node.tag === original.tag ? node : { ...node, tag: original.tag };
}

function sourceOnly(item: YNode): YNode {
  return map(new Map([["source", { key: item.origin, value: item }]]), item.origin);
}

function softHard(limit: YNode): YNode {
  return map(
    new Map([
      ["soft", { key: limit.origin, value: limit }],
      ["hard", { key: limit.origin, value: limit }],
    ]),
    limit.origin,
  );
}
