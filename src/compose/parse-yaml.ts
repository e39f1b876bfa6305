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
  type Document,
  type Node,
  type Pair,
  type ParsedNode,
  type ScalarTag,
} from "yaml";
import type { Problem } from "../errors.js";
import { mergeNodes } from "./merge.js";
import { map, scalar, seq, type MergeTag, type Origin, type YEntry, type YMap, type YNode } from "./node.js";

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

/** Interpolation, merge and validation all need each value's file:line, which `toJS()` loses. */
export function parseYaml(source: string, file: string, dir: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(source, {
    lineCounter,
    merge: true,
    customTags: MERGE_TAGS,
    prettyErrors: false,
  });
  const documents = Array.isArray(docs) ? docs : [];
  const problems: Problem[] = [];
  for (const doc of documents) {
    for (const error of doc.errors) {
      const line = error.linePos?.[0].line ?? lineCounter.linePos(error.pos[0]).line;
      const message = error.message.replace(/ at line \d+, column \d+[\s\S]*$/, "");
      problems.push({ location: { file, line }, message: `invalid YAML: ${message}`, hint: HINT });
    }
  }
  if (problems.length > 0) return { root: undefined, problems };
  let root: YNode | undefined;
  for (const doc of documents) {
    if (doc.contents === null) continue;
    const converter = new Converter(doc, file, dir, lineCounter, problems);
    const node = converter.convert(doc.contents);
    root = root === undefined ? node : mergeNodes(root, node, []);
  }
  return { root, problems };
}

class Converter {
  private readonly anchored = new Map<Node, YNode>();
  private readonly converting = new Set<Node>();

  constructor(
    private readonly doc: Document.Parsed,
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

  convert(node: ParsedNode | Node | null | undefined, parent?: Origin): YNode {
    if (node === null || node === undefined) return scalar(null, parent ?? this.origin(node));
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) return this.fail(`unknown alias *${node.source}`, node);
      return this.convert(target);
    }
    const memo = this.anchored.get(node);
    if (memo) return memo;
    if (this.converting.has(node)) return this.fail("an alias refers to the node that contains it", node);
    this.converting.add(node);
    const out = this.convertNode(node);
    this.converting.delete(node);
    if (node.anchor) this.anchored.set(node, out);
    return out;
  }

  private convertNode(node: Node): YNode {
    const origin = this.origin(node);
    const tag = mergeTag(node.tag);
    let out: YNode;
    if (isMap(node)) out = this.convertMap(node.items as Pair[], origin);
    else if (isSeq(node))
      out = seq(
        node.items.map((item) => this.convert(item as Node, origin)),
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

  private convertMap(pairs: Pair[], origin: Origin): YMap {
    const entries = new Map<string, YEntry>();
    const sources: YMap[] = [];
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && (typeof keyNode.value === "symbol" || keyNode.value === "<<")) {
        this.collectMergeSources(pair.value as Node | null, sources);
        continue;
      }
      if (keyNode !== null && !isScalar(keyNode)) {
        this.fail("a mapping key must be a string", keyNode);
        continue;
      }
      const key = keyNode === null || keyNode.value === null ? "" : String(keyNode.value);
      const keyOrigin = this.origin(keyNode, origin);
      entries.set(key, { key: keyOrigin, value: this.convert(pair.value as Node | null, keyOrigin) });
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

  private collectMergeSources(value: Node | null, sources: YMap[]): void {
    const items = isSeq(value) ? (value.items as Node[]) : [value];
    for (const item of items) {
      const node = this.convert(item);
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
