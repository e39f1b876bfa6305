import type { Expansion } from "./expand-word.js";
import type { TextRange } from "./text-position.js";
import type { DockerfileAnalysis, StageBase } from "./types.js";

/** One place a Dockerfile names a stage, an image or a named context, and what it resolved to. */
export interface ReferenceSite {
  via: "FROM" | "COPY" | "RUN";
  /** The reference as written (quotes removed from flag values). */
  written: string;
  expansion: Expansion;
  from: StageBase;
  /** Where the written reference is in the text; null when dockerfile-ast gives no range. */
  range: TextRange | null;
  /** The stage the reference appears in. */
  stageIndex: number;
}

export type ScanWarning = DockerfileAnalysis["warnings"][number];
