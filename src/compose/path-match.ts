// Key paths matched against patterns such as `services.*.build`, as compose-go's tree.Path does for its
// merge, interpolation and validation tables.

/** A key path pattern: each part a key, or `*` for any key or list index. */
export type PathPattern = readonly string[];

/** `services.*.build` → `["services", "*", "build"]`. */
export function pattern(text: string): PathPattern {
  return text.split(".");
}

/** Whether `path` matches `pattern` part for part (same length). */
export function matchesPath(pattern: PathPattern, path: readonly (string | number)[]): boolean {
  return (
    pattern.length === path.length && pattern.every((part, i) => part === "*" || part === String(path[i]))
  );
}

/**
 * Where a walk stands against a set of patterns: `inside` once a pattern matched a prefix of the path (the
 * whole subtree is in), `outside` once none can match any more. Equal positions are the same object, so a
 * walk over shared (aliased) nodes can cache its results per scope.
 */
export interface PathScope {
  readonly inside: boolean;
  readonly outside: boolean;
  /** The scope of a child key or list index. */
  child(key: string | number): PathScope;
}

/** The scope at the root of a document, for patterns whose subtrees are "in". */
export function rootScope(patterns: readonly PathPattern[]): PathScope {
  const scopes = new Map<string, Scope>();
  const scopeOf = (inside: boolean, tails: readonly PathPattern[]): Scope => {
    const key = inside ? "\u0001" : tails.map((tail) => tail.join("\u0000")).join("\u0002");
    let scope = scopes.get(key);
    if (!scope) {
      scope = new Scope(inside, inside ? [] : tails, scopeOf);
      scopes.set(key, scope);
    }
    return scope;
  };
  return scopeOf(false, patterns);
}

class Scope implements PathScope {
  private readonly children = new Map<string, Scope>();

  constructor(
    readonly inside: boolean,
    private readonly tails: readonly PathPattern[],
    private readonly scopeOf: (inside: boolean, tails: readonly PathPattern[]) => Scope,
  ) {}

  get outside(): boolean {
    return !this.inside && this.tails.length === 0;
  }

  child(key: string | number): PathScope {
    if (this.inside || this.tails.length === 0) return this;
    const name = String(key);
    let scope = this.children.get(name);
    if (scope) return scope;
    const matching = this.tails.filter((tail) => tail[0] === "*" || tail[0] === name);
    const inside = matching.some((tail) => tail.length === 1);
    scope = this.scopeOf(
      inside,
      matching.map((tail) => tail.slice(1)),
    );
    // Only named keys are remembered: list indexes and service names would grow the map without bound.
    if (this.tails.every((tail) => tail[0] !== "*")) this.children.set(name, scope);
    return scope;
  }
}
