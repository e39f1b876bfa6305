import type { SourceLocation } from "../errors.js";

/** Where a YAML node came from, and the folder its relative paths resolve against. */
export interface Origin {
  file: string;
  /** 1-based line. */
  line: number;
  /** The project directory for `-f` files; the file's own folder (or include's project_directory) otherwise. */
  dir: string;
}

/** Compose's merge tags: `!reset` removes an inherited value, `!override` replaces it instead of merging. */
export type MergeTag = "reset" | "override";

export interface YScalar {
  kind: "scalar";
  value: string | number | boolean | null;
  origin: Origin;
  tag?: MergeTag;
  /** Variables that were not set when the value was interpolated (they became ""). */
  unset?: readonly string[];
}

export interface YSeq {
  kind: "seq";
  items: YNode[];
  origin: Origin;
  tag?: MergeTag;
}

export interface YEntry {
  /** Where the key is written. */
  key: Origin;
  value: YNode;
}

export interface YMap {
  kind: "map";
  entries: Map<string, YEntry>;
  origin: Origin;
  tag?: MergeTag;
}

/** A YAML value that keeps its file and line through interpolation, merge and extends. */
export type YNode = YScalar | YSeq | YMap;

export type KeyPath = readonly (string | number)[];

/** Builds a scalar node; used when a short form is rewritten into its long form. */
export function scalar(value: YScalar["value"], origin: Origin): YScalar {
  return { kind: "scalar", value, origin };
}

/** Builds a sequence node that keeps the origin of the list it replaces. */
export function seq(items: YNode[], origin: Origin): YSeq {
  return { kind: "seq", items, origin };
}

/** Builds a mapping node; entries keep their own key origins. */
export function map(entries: Map<string, YEntry>, origin: Origin): YMap {
  return { kind: "map", entries, origin };
}

/** Narrows a node that may be missing, so lookups on absent keys need no checks. */
export function isMap(node: YNode | undefined): node is YMap {
  return node?.kind === "map";
}

/** Narrows a node that may be missing to a sequence. */
export function isSeq(node: YNode | undefined): node is YSeq {
  return node?.kind === "seq";
}

/** Narrows a node that may be missing to a scalar. */
export function isScalar(node: YNode | undefined): node is YScalar {
  return node?.kind === "scalar";
}

/** A mapping's value at `key`; undefined for absent keys and for anything but a mapping. */
export function get(node: YNode | undefined, key: string): YNode | undefined {
  return isMap(node) ? node.entries.get(key)?.value : undefined;
}

/** The text of a scalar (numbers and booleans as Compose prints them); undefined for null and collections. */
export function text(node: YNode | undefined): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  return String(node.value);
}

/** The texts of a list's scalar items; [] for anything but a list. */
export function texts(node: YNode | undefined): string[] {
  if (!isSeq(node)) return [];
  return node.items.map(text).filter((value) => value !== undefined);
}

/** Problems carry a file and line, not the folder used for path resolution. */
export function toLocation(origin: Origin): SourceLocation {
  return { file: origin.file, line: origin.line };
}

/** `services.api.build.tags[2]`: the key path as people read it in messages. */
export function formatPath(path: KeyPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}

/** Validation reports a key path; the person needs the line of the deepest node that exists on it. */
export function locate(root: YNode, path: KeyPath, keyOfLast = false): Origin {
  let node: YNode = root;
  let origin = root.origin;
  for (const [index, part] of path.entries()) {
    if (typeof part === "number" && isSeq(node)) {
      const item = node.items[part];
      if (!item) break;
      node = item;
      origin = item.origin;
    } else if (isMap(node)) {
      const entry = node.entries.get(String(part));
      if (!entry) break;
      node = entry.value;
      origin = keyOfLast && index === path.length - 1 ? entry.key : entry.value.origin;
    } else break;
  }
  return origin;
}

/** The node at a key path (list items by index), or undefined when the path leaves the tree. */
export function nodeAt(root: YNode, path: KeyPath): YNode | undefined {
  let node: YNode | undefined = root;
  for (const part of path) {
    if (typeof part === "number" && isSeq(node)) node = node.items[part];
    else node = isMap(node) ? node.entries.get(String(part))?.value : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * The plain data of a node, for the JSON schema validator. `drop` leaves out values (`!reset` ones); a
 * node shared through YAML aliases becomes one shared object, converted once.
 */
export function toPlain(node: YNode, drop?: (value: YNode) => boolean): unknown {
  const done = new Map<YNode, unknown>();
  const convert = (current: YNode): unknown => {
    if (current.kind === "scalar") return current.value;
    const cached = done.get(current);
    if (cached !== undefined) return cached;
    let out: unknown;
    if (current.kind === "seq") out = current.items.map(convert);
    else {
      const object: Record<string, unknown> = {};
      for (const [key, entry] of current.entries) {
        if (drop?.(entry.value)) continue;
        Object.defineProperty(object, key, {
          value: convert(entry.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      out = object;
    }
    done.set(current, out);
    return out;
  };
  return convert(node);
}

/** A stable text for a node's content, used to drop duplicate list items. */
export function contentKey(node: YNode): string {
  return node.kind === "scalar"
    ? `${typeof node.value}:${String(node.value)}`
    : JSON.stringify(toPlain(node));
}
