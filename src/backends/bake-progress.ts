import { normalizeImageRef } from "../util/image-ref.js";

// `docker buildx bake --progress=plain` with several targets prints one stream: every vertex name carries its
// target (`#12 [t3 deps 1/4] FROM …`, `#44 [t3] exporting to image`), the vertex's later lines only its number,
// and a number may be announced again for another target (the export vertex of every target has one).
// https://github.com/docker/buildx/blob/v0.10.5/util/progress/multiwriter.go (WithPrefix)

/** One line of a bake's output, as the build of its target would have printed it alone. */
export interface BakeLine {
  /** The target the line is about; undefined for lines about none (the final error, blank lines). */
  target?: string;
  /** The line without the target in the vertex name. */
  line: string;
  /** Targets whose every tag the engine has just named: their image is in the engine. */
  completed: string[];
}

export interface BakeDemux {
  push(line: string): BakeLine;
}

const VERTEX = /^#(\d+) (.*)$/;
const NAMING = /^naming to (\S+) done$/;

/**
 * Split a bake's output by target. `targets` maps each target name to the tags its image gets; a target is
 * complete when the engine has named every one of them (a target without tags completes only when bake ends).
 */
export function createBakeDemux(targets: ReadonlyMap<string, readonly string[]>): BakeDemux {
  const owners = new Map<number, string>();
  const waiting = new Map<string, Set<string>>();
  const byTag = new Map<string, string>();
  for (const [name, tags] of targets) {
    const normalized = new Set(tags.map(normalizeImageRef));
    if (normalized.size > 0) waiting.set(name, normalized);
    for (const tag of normalized) byTag.set(tag, name);
  }
  const prefixed = (rest: string): { target: string; name: string } | undefined => {
    const match = /^\[(\S+?)(?:\] | )(.*)$/s.exec(rest);
    if (!match || !targets.has(match[1] as string)) return undefined;
    const [, target = "", after = ""] = match;
    // `[t3 deps 1/4] FROM` was `[deps 1/4] FROM`; `[t3] exporting to image` was `exporting to image`
    return { target, name: rest.startsWith(`[${target}] `) ? after : `[${after}` };
  };
  return {
    push(raw) {
      const vertex = VERTEX.exec(raw);
      if (!vertex) return { line: raw, completed: [] };
      const id = Number(vertex[1]);
      const rest = vertex[2] ?? "";
      const named = prefixed(rest);
      if (named) {
        owners.set(id, named.target);
        return { target: named.target, line: `#${id} ${named.name}`, completed: [] };
      }
      const completed: string[] = [];
      const naming = NAMING.exec(rest);
      const tagOwner = naming ? byTag.get(normalizeImageRef(naming[1] as string)) : undefined;
      if (tagOwner !== undefined) {
        const left = waiting.get(tagOwner);
        left?.delete(normalizeImageRef(naming?.[1] as string));
        if (left !== undefined && left.size === 0) {
          waiting.delete(tagOwner);
          completed.push(tagOwner);
        }
      }
      // a naming line belongs to the target of its tag, whoever announced the vertex last
      const target = tagOwner ?? owners.get(id);
      return { ...(target !== undefined ? { target } : {}), line: raw, completed };
    },
  };
}
