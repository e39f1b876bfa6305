import type { SourceLocation } from "../errors.js";
import type { Stage } from "./types.js";

/** An image or named context a build uses, and how: the graph matches these against other services' images. */
export interface ExternalReference {
  /** The reference after ARG expansion, as the Dockerfile writes it (not normalized). */
  ref: string;
  location: SourceLocation;
  via: "FROM" | "COPY" | "RUN";
}

/**
 * Every image or named context the given stages use (FROM, COPY --from, RUN --mount=…,from), without stages,
 * scratch or references left unresolved; each ref and instruction kind once, at its first use.
 */
export function externalReferences(stages: readonly Stage[]): ExternalReference[] {
  const seen = new Set<string>();
  const out: ExternalReference[] = [];
  const add = (ref: string, location: SourceLocation, via: ExternalReference["via"]) => {
    const key = `${via} ${ref}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ref, location, via });
  };
  for (const stage of stages) {
    if (stage.base.kind === "image") add(stage.base.ref, stage.location, "FROM");
    for (const source of stage.sources) {
      if (source.from.kind !== "image") continue;
      add(source.from.ref, source.location, source.instruction === "RUN" ? "RUN" : "COPY");
    }
  }
  return out;
}
