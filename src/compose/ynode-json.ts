import type { Origin, YEntry, YMap, YNode, YScalar, YSeq } from "./node.js";

// A YNode tree as JSON, for the state folder: origins share a table of file and folder names, maps keep their
// key order. `decodeNode` checks every part of what it reads and gives undefined for anything else.

/** [file index, line, folder index] into the string table. */
type PackedOrigin = [number, number, number];

/** A scalar (with the variables unset when it was interpolated, if any), a sequence or a map, each with its origin and merge tag (0: none). */
export type PackedNode =
  | ["s", string | number | boolean | null, PackedOrigin, TagCode]
  | ["s", string | number | boolean | null, PackedOrigin, TagCode, string[]]
  | ["q", PackedNode[], PackedOrigin, TagCode]
  | ["m", [string, PackedOrigin, PackedNode][], PackedOrigin, TagCode];

type TagCode = 0 | "reset" | "override";

/** Pack a tree, adding the names its origins use to `strings`. */
export function encodeNode(node: YNode, strings: Map<string, number>): PackedNode {
  const index = (text: string) => {
    let at = strings.get(text);
    if (at === undefined) strings.set(text, (at = strings.size));
    return at;
  };
  const origin = (o: Origin): PackedOrigin => [index(o.file), o.line, index(o.dir)];
  const tag: TagCode = node.tag ?? 0;
  switch (node.kind) {
    case "scalar":
      return node.unset !== undefined && node.unset.length > 0
        ? ["s", node.value, origin(node.origin), tag, [...node.unset]]
        : ["s", node.value, origin(node.origin), tag];
    case "seq":
      return ["q", node.items.map((item) => encodeNode(item, strings)), origin(node.origin), tag];
    case "map":
      return [
        "m",
        [...node.entries].map(([key, entry]) => [key, origin(entry.key), encodeNode(entry.value, strings)]),
        origin(node.origin),
        tag,
      ];
  }
}

/** The tree `encodeNode` packed, or undefined when `value` is not one (a corrupt or foreign file). */
export function decodeNode(value: unknown, strings: readonly string[]): YNode | undefined {
  const origin = (o: unknown): Origin | undefined => {
    if (!Array.isArray(o) || o.length !== 3) return undefined;
    const [file, line, dir] = o as unknown[];
    const f = typeof file === "number" ? strings[file] : undefined;
    const d = typeof dir === "number" ? strings[dir] : undefined;
    return f !== undefined && d !== undefined && typeof line === "number"
      ? { file: f, line, dir: d }
      : undefined;
  };
  if (!Array.isArray(value) || value.length < 4 || value.length > 5) return undefined;
  const [kind, body, packedOrigin, packedTag, unset] = value as unknown[];
  const at = origin(packedOrigin);
  const tag =
    packedTag === 0 ? undefined : packedTag === "reset" || packedTag === "override" ? packedTag : null;
  if (at === undefined || tag === null) return undefined;
  const withTag = <T extends YNode>(node: T): T => (tag ? { ...node, tag } : node);
  if (kind === "s") {
    if (!isScalarValue(body)) return undefined;
    const scalar: YScalar = { kind: "scalar", value: body, origin: at };
    if (unset === undefined) return withTag(scalar);
    const names = Array.isArray(unset) && unset.every((n) => typeof n === "string") ? unset : undefined;
    return names === undefined ? undefined : withTag<YScalar>({ ...scalar, unset: names as string[] });
  }
  if (value.length !== 4 || !Array.isArray(body)) return undefined;
  if (kind === "q") {
    const items: YNode[] = [];
    for (const item of body) {
      const node = decodeNode(item, strings);
      if (node === undefined) return undefined;
      items.push(node);
    }
    return withTag<YSeq>({ kind: "seq", items, origin: at });
  }
  if (kind !== "m") return undefined;
  const entries = new Map<string, YEntry>();
  for (const entry of body) {
    if (!Array.isArray(entry) || entry.length !== 3 || typeof entry[0] !== "string") return undefined;
    const key = origin(entry[1]);
    const node = decodeNode(entry[2], strings);
    if (key === undefined || node === undefined) return undefined;
    entries.set(entry[0], { key, value: node });
  }
  return withTag<YMap>({ kind: "map", entries, origin: at });
}

function isScalarValue(value: unknown): value is string | number | boolean | null {
  return (
    value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean"
  );
}
