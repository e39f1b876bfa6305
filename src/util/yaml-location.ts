import { isMap, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from "yaml";

/** A finder of the 1-based lines of key paths in one YAML or JSON text. */
export type LineFinder = (path: readonly (string | number)[]) => number | undefined;

/**
 * Parse a YAML or JSON text once to find the lines of any number of key paths: a file with 50,000 invalid
 * entries is parsed once, and each mapping's keys indexed once, not once per problem.
 */
export function lineFinder(text: string): LineFinder {
  const lineCounter = new LineCounter();
  // Duplicate keys are the validator's business; the library's own check is quadratic in a mapping's size.
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  const index = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let keys = index.get(map);
    if (!keys) {
      keys = new Map();
      for (const pair of map.items as Pair[]) {
        const name = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
        if (!keys.has(name)) keys.set(name, pair);
      }
      index.set(map, keys);
    }
    return keys.get(key);
  };
  return (path) => {
    let node: unknown = doc.contents;
    let offset: number | undefined = (doc.contents as Node | null)?.range?.[0];
    for (const key of path) {
      if (isMap(node)) {
        const pair = pairOf(node, String(key));
        if (!pair) break;
        offset = (pair.key as Node | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number") {
        const item = node.items[key] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else break;
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
}

/** Find the 1-based line of a key path (`["services", "api", "build"]`) in YAML or JSON text, when it is there. */
export function lineOfPath(text: string, path: readonly (string | number)[]): number | undefined {
  return lineFinder(text)(path);
}
