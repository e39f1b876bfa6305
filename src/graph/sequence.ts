/** The result of ordering a dependency graph: levels that can run together, and every cycle found. */
export interface Sequence<T> {
  /** Nodes grouped by dependency depth: every node's dependencies are in an earlier chunk. */
  chunks: T[][];
  /** Each cycle as a path that starts and ends with the same node. */
  cycles: T[][];
  /** True when there is no cycle. */
  safe: boolean;
}

/**
 * Order `graph` (node → the nodes it depends on) into depth levels. Dependencies outside the graph are ignored.
 * Cycles are returned as data; the nodes on them are left out of `chunks`.
 */
export function sequenceGraph<T>(graph: ReadonlyMap<T, readonly T[]>): Sequence<T> {
  const depth = new Map<T, number>();
  const state = new Map<T, "visiting" | "done">();
  const cycles: T[][] = [];
  const onCycle = new Set<T>();
  const stack: T[] = [];

  const visit = (node: T): number => {
    const seen = state.get(node);
    if (seen === "done") return depth.get(node) ?? -1;
    if (seen === "visiting") {
      const start = stack.indexOf(node);
      const cycle = [...stack.slice(start), node];
      cycles.push(cycle);
      cycle.forEach((n) => onCycle.add(n));
      return -1;
    }
    state.set(node, "visiting");
    stack.push(node);
    let d = 0;
    let blocked = false;
    for (const dep of graph.get(node) ?? []) {
      if (!graph.has(dep)) continue;
      const dd = visit(dep);
      if (dd < 0) blocked = true;
      else d = Math.max(d, dd + 1);
    }
    stack.pop();
    state.set(node, "done");
    const result = blocked || onCycle.has(node) ? -1 : d;
    depth.set(node, result);
    return result;
  };

  for (const node of graph.keys()) visit(node);
  const chunks: T[][] = [];
  for (const node of graph.keys()) {
    const d = depth.get(node) ?? -1;
    if (d < 0) continue;
    (chunks[d] ??= []).push(node);
  }
  return { chunks: chunks.filter((c) => c !== undefined), cycles, safe: cycles.length === 0 };
}

/** Every node reachable from `roots` through `graph`, roots included, in the graph's own order. */
export function closure<T>(graph: ReadonlyMap<T, readonly T[]>, roots: Iterable<T>): Set<T> {
  const seen = new Set<T>();
  const todo = [...roots];
  while (todo.length > 0) {
    const node = todo.pop() as T;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const dep of graph.get(node) ?? []) todo.push(dep);
  }
  return new Set([...graph.keys()].filter((n) => seen.has(n)));
}

/** The reverse of a dependency graph: node → the nodes that depend on it. */
export function dependents<T>(graph: ReadonlyMap<T, readonly T[]>): Map<T, T[]> {
  const reverse = new Map<T, T[]>();
  for (const node of graph.keys()) reverse.set(node, []);
  for (const [node, deps] of graph) for (const dep of deps) reverse.get(dep)?.push(node);
  return reverse;
}

/** Longest path (in nodes) from each node to a node nothing depends on; used to start long chains first. */
export function remainingPathLength<T>(graph: ReadonlyMap<T, readonly T[]>): Map<T, number> {
  const reverse = dependents(graph);
  const memo = new Map<T, number>();
  const length = (node: T, guard: Set<T>): number => {
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (guard.has(node)) return 1;
    guard.add(node);
    let best = 0;
    for (const next of reverse.get(node) ?? []) best = Math.max(best, length(next, guard));
    guard.delete(node);
    memo.set(node, best + 1);
    return best + 1;
  };
  for (const node of graph.keys()) length(node, new Set());
  return memo;
}
