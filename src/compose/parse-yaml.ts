import {
  LineCounter,
  YAMLMap,
  YAMLSeq,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parse as parseYamlValue,
  parseAllDocuments,
  type CollectionTag,
  type Alias,
  type Node,
  type Pair,
  type ParsedNode,
  type ScalarTag,
} from "yaml";
import type { Problem, SourceLocation } from "../errors.js";
import { mergeNodes } from "./merge.js";
import {
  map,
  scalar,
  seq,
  toLocation,
  type MergeTag,
  type Origin,
  type YEntry,
  type YMap,
  type YNode,
} from "./node.js";

export interface ParsedYaml {
  /** The document's top-level node; undefined for an empty file or when the YAML is broken. */
  root: YNode | undefined;
  problems: Problem[];
}

const MERGE_TAGS = ["!reset", "!override"].flatMap((tag): (ScalarTag | CollectionTag)[] => [
  { tag, resolve: (value: string) => value },
  { tag, collection: "map", nodeClass: YAMLMap, resolve: (value) => value },
  { tag, collection: "seq", nodeClass: YAMLSeq, resolve: (value) => value },
]);

const HINT = "fix the YAML syntax on this line";

/** Collections nested deeper than this are refused: every later step walks the tree recursively. */
export const MAX_DEPTH = 200;

/** Interpolation, merge and validation all need each value's file:line, which `toJS()` loses. */
export function parseYaml(source: string, file: string, dir: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(source, {
    lineCounter,
    merge: true,
    customTags: MERGE_TAGS,
    prettyErrors: false,
    // The library finds duplicate keys by scanning each map's earlier keys (quadratic); the converter
    // finds them with a hash map instead.
    uniqueKeys: false,
  });
  const documents = Array.isArray(docs) ? docs : [];
  const problems: Problem[] = [];
  for (const doc of documents) {
    for (const error of doc.errors) {
      const line = error.linePos?.[0].line ?? lineCounter.linePos(error.pos[0]).line;
      const message = error.message.replace(/ at line \d+, column \d+[\s\S]*$/, "");
      problems.push({
        location: { file, line },
        message: message.startsWith("Maximum call stack size exceeded")
          ? `invalid YAML: nested more than the parser can follow`
          : `invalid YAML: ${message}`,
        hint: message.startsWith("Maximum call stack") ? `nest at most ${MAX_DEPTH} levels deep` : HINT,
      });
    }
  }
  if (problems.length > 0) return { root: undefined, problems };
  let root: YNode | undefined;
  for (const doc of documents) {
    if (doc.contents === null) continue;
    const converter = new Converter(file, dir, lineCounter, problems);
    let node: YNode;
    try {
      node = converter.convert(doc.contents, undefined, 0);
    } catch (error) {
      if (!(error instanceof LimitError)) throw error;
      problems.push({
        location: error.location,
        message: `invalid YAML: ${error.message}`,
        hint: error.hint,
      });
      return { root: undefined, problems };
    }
    root = root === undefined ? node : mergeNodes(root, node, []);
  }
  return { root, problems };
}

/** A document past one of the limits that keep a hostile file from taking unbounded time or memory. */
class LimitError extends Error {
  constructor(
    message: string,
    readonly location: SourceLocation,
    readonly hint: string,
  ) {
    super(message);
  }
}

/**
 * go-yaml's rule, which Compose applies while decoding: beyond 100 nodes reached through aliases and 1,000
 * nodes in all, the share reached through aliases may be 99% up to 400,000 nodes, falling to 10% at
 * 4,000,000. Alias bombs fail it at once; ordinary anchors never come near it.
 */
export function excessiveAliasing(decoded: number, aliased: number): boolean {
  if (aliased <= 100 || decoded <= 1000) return false;
  const low = 400_000;
  const high = 4_000_000;
  const allowed =
    decoded <= low ? 0.99 : decoded >= high ? 0.1 : 0.99 - (0.89 * (decoded - low)) / (high - low);
  return aliased / decoded > allowed;
}

/**
 * Turns one YAML document into `YNode`s. Aliases resolve through the anchors seen so far in document order
 * (the library's own lookup walks the document once per alias); a node shared through aliases is converted
 * once, and what it would expand to is counted so that alias bombs are refused before anything walks them.
 */
class Converter {
  private readonly anchors = new Map<string, Node>();
  private readonly anchored = new Map<Node, YNode>();
  private readonly sizes = new Map<Node, number>();
  private readonly converting = new Set<Node>();
  /** Nodes decoded so far, counting each alias as the nodes it expands to (go-yaml's decodeCount). */
  private decoded = 0;
  /** Of those, the nodes reached through aliases (go-yaml's aliasCount). */
  private aliased = 0;

  constructor(
    private readonly file: string,
    private readonly dir: string,
    private readonly lines: LineCounter,
    private readonly problems: Problem[],
  ) {}

  origin(node: Node | null | undefined, fallback?: Origin): Origin {
    const offset = node?.range?.[0];
    if (offset === undefined) return fallback ?? { file: this.file, line: 1, dir: this.dir };
    return { file: this.file, line: this.lines.linePos(offset).line, dir: this.dir };
  }

  convert(node: ParsedNode | Node | null | undefined, parent: Origin | undefined, depth: number): YNode {
    this.decoded++;
    if (node === null || node === undefined) return scalar(null, parent ?? this.origin(node));
    if (isAlias(node)) return this.alias(node);
    if (depth > MAX_DEPTH) {
      throw new LimitError(
        `nested more than ${MAX_DEPTH} levels deep`,
        toLocation(this.origin(node)),
        `nest at most ${MAX_DEPTH} levels deep`,
      );
    }
    if (node.anchor) this.anchors.set(node.anchor, node);
    const before = this.decoded;
    this.converting.add(node);
    const out = this.convertNode(node, depth);
    this.converting.delete(node);
    if (node.anchor) {
      this.anchored.set(node, out);
      this.sizes.set(node, this.decoded - before + 1);
    }
    return out;
  }

  private alias(node: Alias): YNode {
    const target = this.anchors.get(node.source);
    if (!target) return this.fail(`unknown alias *${node.source}`, node);
    const out = this.anchored.get(target);
    if (!out || this.converting.has(target))
      return this.fail("an alias refers to the node that contains it", node);
    const size = this.sizes.get(target) ?? 1;
    this.decoded += size;
    this.aliased += size;
    if (excessiveAliasing(this.decoded, this.aliased)) {
      throw new LimitError(
        "document contains excessive aliasing",
        toLocation(this.origin(node)),
        "aliases may repeat a node a few times, not expand the document many times over",
      );
    }
    return out;
  }

  private convertNode(node: Node, depth: number): YNode {
    const origin = this.origin(node);
    const tag = mergeTag(node.tag);
    let out: YNode;
    if (isMap(node)) out = this.convertMap(node.items as Pair[], origin, depth);
    else if (isSeq(node))
      out = seq(
        node.items.map((item) => this.convert(item as Node, origin, depth + 1)),
        origin,
      );
    else if (isScalar(node)) {
      let value = node.value;
      // An explicit tag leaves the scalar unresolved: read it as the core schema would.
      if (tag && typeof value === "string" && node.type === "PLAIN") value = parseYamlValue(value) as unknown;
      out = scalar(value === undefined ? null : isPlainScalar(value) ? value : String(value), origin);
    } else out = scalar(null, origin);
    if (tag) out.tag = tag;
    return out;
  }

  private convertMap(pairs: Pair[], origin: Origin, depth: number): YMap {
    const entries = new Map<string, YEntry>();
    const sources: YMap[] = [];
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && (typeof keyNode.value === "symbol" || keyNode.value === "<<")) {
        this.decoded++;
        this.collectMergeSources(pair.value as Node | null, sources, depth);
        continue;
      }
      if (keyNode !== null && !isScalar(keyNode)) {
        this.fail("a mapping key must be a string", keyNode);
        continue;
      }
      this.decoded++;
      if (keyNode?.anchor) this.anchors.set(keyNode.anchor, keyNode);
      const key = keyNode === null || keyNode.value === null ? "" : String(keyNode.value);
      const keyOrigin = this.origin(keyNode, origin);
      if (entries.has(key)) {
        this.fail("Map keys must be unique", keyNode);
        continue;
      }
      entries.set(key, {
        key: keyOrigin,
        value: this.convert(pair.value as Node | null, keyOrigin, depth + 1),
      });
    }
    if (sources.length === 0) return map(entries, origin);
    // `<<` keys: explicit keys win, then earlier sources win over later ones.
    const merged = new Map<string, YEntry>();
    for (const source of sources) {
      for (const [key, entry] of source.entries) if (!merged.has(key)) merged.set(key, entry);
    }
    for (const [key, entry] of entries) merged.set(key, entry);
    return map(merged, origin);
  }

  private collectMergeSources(value: Node | null, sources: YMap[], depth: number): void {
    const items = isSeq(value) ? (value.items as Node[]) : [value];
    for (const item of items) {
      const node = this.convert(item, undefined, depth + 1);
      if (node.kind === "map") sources.push(node);
      else this.fail("a merge key (<<) needs a mapping or a list of mappings", item);
    }
  }

  private fail(message: string, node: Node | null): YNode {
    const origin = this.origin(node);
    this.problems.push({
      location: { file: origin.file, line: origin.line },
      message: `invalid YAML: ${message}`,
      hint: HINT,
    });
    return scalar(null, origin);
  }
}

function mergeTag(tag: string | undefined): MergeTag | undefined {
  if (tag === "!reset") return "reset";
  if (tag === "!override") return "override";
  return undefined;
}

function isPlainScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}
