import path from "node:path";
import dockerignore from "@balena/dockerignore";

// The package is CommonJS with an ESM-style `export default` in its types: its factory sits on `.default`
// (which it sets to itself at run time).
const ignore = dockerignore.default;

/** Which paths of a build context the engine receives, by Docker's own `.dockerignore` rules. */
export interface ContextFilter {
  /** Whether the engine receives this path (relative to the context, `/`-separated). */
  includes(relative: string): boolean;
  /** Whether nothing at or below this folder can be received, so that a walk need not enter it. */
  canSkipDir(relative: string): boolean;
}

/** Characters that make a pattern more than a literal path in the matcher's regular expressions. */
const NOT_LITERAL = /[*?[\]\\(){}+|^]/;

/**
 * Build the filter for a context's patterns (`undefined`: no .dockerignore, everything is sent). A folder is
 * skipped only when no `!` exception could bring back anything inside it, the same test Docker's walker makes;
 * an exception with wildcards keeps every excluded folder walked (slower, never wrong).
 */
export function createContextFilter(patterns: readonly string[] | undefined): ContextFilter {
  if (!patterns || patterns.length === 0) return { includes: () => true, canSkipDir: () => false };
  const matcher = ignore({ ignorecase: false }).add([...patterns]);
  const exceptions = patterns
    .map((p) => p.trim())
    .filter((p) => p.startsWith("!"))
    .map((p) => cleanPattern(p.slice(1).trim()));
  const literal = exceptions.every((p) => !NOT_LITERAL.test(p) && !p.split("/").includes(".."));
  return {
    includes: (relative) => !matcher.ignores(relative),
    canSkipDir: (relative) => {
      if (!matcher.ignores(relative)) return false;
      if (exceptions.length === 0) return true;
      if (!literal) return false;
      const prefix = `${relative}/`;
      return !exceptions.some((p) => p === "." || p === "" || p.startsWith(prefix));
    },
  };
}

function cleanPattern(pattern: string): string {
  return path.posix.normalize(pattern).replace(/^\/+/, "").replace(/\/+$/, "");
}
