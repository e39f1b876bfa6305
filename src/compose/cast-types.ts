import type { Problem } from "../errors.js";
import { blameUnset, serviceOf } from "./problem-causes.js";
import { formatPath, map, scalar, seq, toLocation, type YEntry, type YNode } from "./node.js";

// Compose turns strings into numbers and booleans at these paths as it interpolates, before the schema
// sees them (compose-go loader/interpolate.go, interpolateTypeCastMapping), so that
// `required: ${REQUIRED:-true}` is a boolean. A string that cannot be turned is an error there.

type Cast = (value: string) => number | boolean | undefined;

/** strconv.Atoi / ParseInt: an optional sign and decimal digits. */
const toInt: Cast = (value) => (/^[+-]?\d+$/.test(value) ? Number(value) : undefined);
/** strconv.ParseFloat, for the forms people write. */
const toFloat: Cast = (value) =>
  /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : undefined;
/** compose-go's toBoolean: YAML 1.2's true/false, and YAML 1.1's y/yes/on and n/no/off. */
export const toBoolean: Cast = (value) => {
  const lower = value.toLowerCase();
  if (["true", "y", "yes", "on"].includes(lower)) return true;
  if (["false", "n", "no", "off"].includes(lower)) return false;
  return undefined;
};

const CASTS: [string, Cast, string][] = [
  ...(
    [
      ["cpu_count", toInt],
      ["cpu_percent", toFloat],
      ["cpu_period", toInt],
      ["cpu_quota", toInt],
      ["cpu_rt_period", toInt],
      ["cpu_rt_runtime", toInt],
      ["cpus", toFloat],
      ["cpu_shares", toInt],
      ["init", toBoolean],
      ["depends_on.*.required", toBoolean],
      ["depends_on.*.restart", toBoolean],
      ["deploy.replicas", toInt],
      ["deploy.update_config.parallelism", toInt],
      ["deploy.update_config.max_failure_ratio", toFloat],
      ["deploy.rollback_config.parallelism", toInt],
      ["deploy.rollback_config.max_failure_ratio", toFloat],
      ["deploy.restart_policy.max_attempts", toInt],
      ["deploy.placement.max_replicas_per_node", toInt],
      ["healthcheck.retries", toInt],
      ["healthcheck.disable", toBoolean],
      ["oom_kill_disable", toBoolean],
      ["oom_score_adj", toInt],
      ["pids_limit", toInt],
      ["ports.*.target", toInt],
      ["privileged", toBoolean],
      ["read_only", toBoolean],
      ["scale", toInt],
      ["stdin_open", toBoolean],
      ["tty", toBoolean],
      ["ulimits.*", toInt],
      ["ulimits.*.hard", toInt],
      ["ulimits.*.soft", toInt],
      ["volumes.*.read_only", toBoolean],
      ["volumes.*.volume.nocopy", toBoolean],
    ] as const
  ).map(([path, cast]): [string, Cast, string] => [`services.*.${path}`, cast, typeName(cast)]),
  ...["external", "internal", "attachable", "enable_ipv4", "enable_ipv6"].map(
    (key): [string, Cast, string] => [`networks.*.${key}`, toBoolean, "boolean"],
  ),
  ...["volumes", "secrets", "configs"].map((kind): [string, Cast, string] => [
    `${kind}.*.external`,
    toBoolean,
    "boolean",
  ]),
];

function typeName(cast: Cast): string {
  return cast === toBoolean ? "boolean" : cast === toInt ? "integer" : "number";
}

interface Trie {
  children: Map<string, Trie>;
  cast?: { cast: Cast; type: string };
}

const TRIE: Trie = (() => {
  const root: Trie = { children: new Map() };
  for (const [path, cast, type] of CASTS) {
    let node = root;
    for (const part of path.split(".")) {
      let next = node.children.get(part);
      if (!next) {
        next = { children: new Map() };
        node.children.set(part, next);
      }
      node = next;
    }
    node.cast = { cast, type };
  }
  return root;
})();

/** The interpolated model with Compose's type casts applied; a string that cannot be cast is a problem. */
export function castTypes(root: YNode): { root: YNode; problems: Problem[] } {
  const problems: Problem[] = [];
  const path: (string | number)[] = [];

  const visit = (node: YNode, tries: Trie[]): YNode => {
    if (node.kind === "scalar") {
      const rule = tries.find((trie) => trie.cast)?.cast;
      if (!rule || typeof node.value !== "string") return node;
      const value = rule.cast(node.value);
      if (value !== undefined)
        return { ...scalar(value, node.origin), ...(node.tag ? { tag: node.tag } : {}) };
      const article = rule.type === "integer" ? "an" : "a";
      const problem = {
        location: toLocation(node.origin),
        message: `${formatPath(path)}: ${JSON.stringify(node.value)} is not ${article} ${rule.type}`,
        hint: rule.type === "boolean" ? "write true or false" : `write ${article} ${rule.type}`,
      };
      const service = serviceOf(path);
      problems.push(blameUnset(service === undefined ? problem : { ...problem, service }, node));
      return node;
    }
    const childTries = (key: string): Trie[] =>
      tries.flatMap((trie) =>
        [trie.children.get(key), trie.children.get("*")].filter((t) => t !== undefined),
      );
    if (node.kind === "seq") {
      const next = childTries("*");
      if (next.length === 0) return node;
      let changed = false;
      const items = node.items.map((item, i) => {
        path.push(i);
        const out = visit(item, next);
        path.pop();
        changed ||= out !== item;
        return out;
      });
      return changed ? { ...seq(items, node.origin), tag: node.tag } : node;
    }
    let entries: Map<string, YEntry> | undefined;
    for (const [key, entry] of node.entries) {
      const next = childTries(key);
      if (next.length === 0) continue;
      path.push(key);
      const value = visit(entry.value, next);
      path.pop();
      if (value === entry.value) continue;
      entries ??= new Map(node.entries);
      entries.set(key, { key: entry.key, value });
    }
    return entries ? { ...map(entries, node.origin), tag: node.tag } : node;
  };

  return { root: visit(root, [TRIE]), problems };
}
