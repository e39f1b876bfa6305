// A YAML writer for generated documents that varies what real files vary and a serializer normalizes away:
// block and flow styles, plain/quoted/block scalars, anchors, aliases, merge keys and tags. The model is a
// tree of plain objects built with the helpers below.

/**
 * @typedef {{ kind: "map", entries: [string, YNode][], flow?: boolean, anchor?: string, tag?: string }
 *   | { kind: "seq", items: YNode[], flow?: boolean, anchor?: string, tag?: string }
 *   | { kind: "scalar", value: string | number | boolean | null, style?: "plain" | "single" | "double" | "literal", anchor?: string, tag?: string }
 *   | { kind: "alias", name: string }
 *   | { kind: "raw", text: string }} YNode
 */

/** A mapping from an object or a list of [key, value] pairs; values that are not nodes become scalars. */
export function ymap(entries, extra = {}) {
  const list = Array.isArray(entries) ? entries : Object.entries(entries);
  return { kind: "map", entries: list.map(([k, v]) => [k, node(v)]), ...extra };
}

export function yseq(items, extra = {}) {
  return { kind: "seq", items: items.map(node), ...extra };
}

export function yscalar(value, extra = {}) {
  return { kind: "scalar", value, ...extra };
}

export function yalias(name) {
  return { kind: "alias", name };
}

/** Text written as it is where a value goes (hostile or malformed pieces). */
export function yraw(text) {
  return { kind: "raw", text };
}

function node(value) {
  if (value !== null && typeof value === "object" && "kind" in value) return value;
  if (Array.isArray(value)) return yseq(value);
  if (value !== null && typeof value === "object") return ymap(value);
  return yscalar(value);
}

const PLAIN_SAFE = /^[A-Za-z0-9_./][A-Za-z0-9_./ @+=,-]*$/;
const LOOKS_TYPED =
  /^(?:[-+]?[0-9][0-9_.eE+-]*|0x[0-9a-fA-F]+|0o[0-7]+|true|false|yes|no|on|off|null|~|\.inf|\.nan)$/i;

/** The document's text; `random` picks styles where the model leaves them open. */
export function emitYaml(root, random) {
  return `${block(root, 0, random).join("\n")}\n`;
}

function props(n) {
  return [n.anchor ? `&${n.anchor}` : "", n.tag ?? ""].filter(Boolean).join(" ");
}

function isInline(n, random) {
  if (n.kind === "scalar") return n.style !== "literal" || typeof n.value !== "string";
  if (n.kind === "alias" || n.kind === "raw") return true;
  if (n.flow) return true;
  const size = n.kind === "map" ? n.entries.length : n.items.length;
  // decided once per node, so that a caller and the callee agree on the style
  n.flow ??= random.chance(0.05);
  return size === 0 || n.flow;
}

/** The lines of a node written in block context at `indent` (a top-level node or a nested collection). */
function block(n, indent, random) {
  const pad = " ".repeat(indent);
  if (isInline(n, random)) return [`${pad}${inline(n, random)}`];
  if (n.kind === "scalar")
    return [`${pad}${props(n)} |`.replace(/^(\s*) \|/, "$1|"), ...literalBody(n.value, indent + 2)];
  if (n.kind === "map") return n.entries.flatMap(([k, v]) => entry(k, v, indent, random));
  return n.items.flatMap((item) => {
    if (!isInline(item, random) && item.kind === "map" && !props(item)) {
      // compact form: the first entry on the dash line
      const lines = block(item, indent + 2, random);
      lines[0] = `${pad}- ${lines[0].slice(indent + 2)}`;
      return lines;
    }
    if (isInline(item, random)) return [`${pad}- ${inline(item, random)}`];
    return [`${pad}-${props(item) ? ` ${props(item)}` : ""}`, ...block(item, indent + 2, random)];
  });
}

function entry(key, value, indent, random) {
  const pad = " ".repeat(indent);
  const k = formatKey(key, random);
  if (isInline(value, random)) return [`${pad}${k}: ${inline(value, random)}`.trimEnd()];
  const p = props(value);
  if (value.kind === "scalar")
    return [`${pad}${k}: ${p ? `${p} ` : ""}|`, ...literalBody(value.value, indent + 2)];
  const inner = value.kind === "seq" && random.chance(0.5) ? indent : indent + 2;
  return [`${pad}${k}:${p ? ` ${p}` : ""}`, ...block(value, inner, random)];
}

function literalBody(text, indent) {
  const pad = " ".repeat(indent);
  return String(text)
    .split("\n")
    .map((line) => (line === "" ? "" : `${pad}${line}`));
}

function formatKey(key, random) {
  if (key === "<<") return key;
  if (PLAIN_SAFE.test(key) && !LOOKS_TYPED.test(key) && !key.endsWith(" "))
    return random.chance(0.9) ? key : `"${key}"`;
  return JSON.stringify(key);
}

/** A node on one line (flow style). */
function inline(n, random) {
  if (n.kind === "alias") return `*${n.name}`;
  if (n.kind === "raw") return n.text;
  const p = props(n);
  const prefix = p ? `${p} ` : "";
  if (n.kind === "scalar") return `${prefix}${scalarText(n, random)}`;
  if (n.kind === "map") {
    const body = n.entries.map(([k, v]) => `${formatKey(k, random)}: ${inline(v, random)}`).join(", ");
    return `${prefix}{${body}}`;
  }
  return `${prefix}[${n.items.map((item) => inline(item, random)).join(", ")}]`;
}

function scalarText(n, random) {
  const { value } = n;
  if (value === null) return random.pick(["null", "~", ""]) || "null";
  if (typeof value !== "string") return String(value);
  const style =
    n.style ??
    (PLAIN_SAFE.test(value) && !LOOKS_TYPED.test(value) && !value.endsWith(" ")
      ? random.pick(["plain", "plain", "single", "double"])
      : random.pick(["single", "double", "double"]));
  if (style === "plain") return value;
  if (style === "single" && !value.includes("\n")) return `'${value.replaceAll("'", "''")}'`;
  return JSON.stringify(value);
}
