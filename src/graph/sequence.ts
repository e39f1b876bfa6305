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
  const path: T[] = [];
  // Depth-first with an explicit stack: a chain of thousands of images must not overflow the call stack.
  interface Frame {
    node: T;
    deps: readonly T[];
    next: number;
    depth: number;
    blocked: boolean;
  }
  const frames: Frame[] = [];
  const enter = (node: T) => {
    state.set(node, "visiting");
    path.push(node);
    frames.push({ node, deps: graph.get(node) ?? [], next: 0, depth: 0, blocked: false });
  };
  const settle = (frame: Frame, dependencyDepth: number) => {
    if (dependencyDepth < 0) frame.blocked = true;
    else frame.depth = Math.max(frame.depth, dependencyDepth + 1);
  };

  for (const root of graph.keys()) {
    if (state.has(root)) continue;
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as Frame;
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++] as T;
        if (!graph.has(dep)) continue;
        const seen = state.get(dep);
        if (seen === "done") settle(frame, depth.get(dep) ?? -1);
        else if (seen === "visiting") {
          const cycle = [...path.slice(path.indexOf(dep)), dep];
          cycles.push(cycle);
          cycle.forEach((n) => onCycle.add(n));
          frame.blocked = true;
        } else enter(dep);
        continue;
      }
      frames.pop();
      path.pop();
      state.set(frame.node, "done");
      const result = frame.blocked || onCycle.has(frame.node) ? -1 : frame.depth;
      depth.set(frame.node, result);
      const parent = frames.at(-1);
      if (parent) settle(parent, result);
    }
  }
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
  const onPath = new Set<T>();
  // Iterative like sequenceGraph; a node met again on its own path (a cycle) counts as 1.
  const frames: { node: T; next: number; best: number }[] = [];
  for (const root of graph.keys()) {
    if (memo.has(root)) continue;
    frames.push({ node: root, next: 0, best: 0 });
    onPath.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      const next = reverse.get(frame.node) ?? [];
      if (frame.next < next.length) {
        const child = next[frame.next++] as T;
        const known = memo.get(child);
        if (known !== undefined) frame.best = Math.max(frame.best, known);
        else if (onPath.has(child)) frame.best = Math.max(frame.best, 1);
        else {
          frames.push({ node: child, next: 0, best: 0 });
          onPath.add(child);
        }
        continue;
      }
      frames.pop();
      onPath.delete(frame.node);
      memo.set(frame.node, frame.best + 1);
      const parent = frames.at(-1);
      if (parent) parent.best = Math.max(parent.best, frame.best + 1);
    }
  }
  return memo;
}
