import type { SourceLocation } from "../errors.js";

/** A `RUN --mount=type=cache` as BuildKit sees it: https://github.com/moby/buildkit/blob/v0.12.5/frontend/dockerfile/docs/reference.md#run---mounttypecache */
export interface CacheMount {
  /** The mount's id; BuildKit defaults it to the target path. */
  id: string;
  target: string;
  /** `shared` (default), `private` or `locked`. */
  sharing: "shared" | "private" | "locked";
  /** Stage the mount appears in. */
  stage: string;
  location: SourceLocation;
}

/** What a stage is built on. */
export type StageBase =
  /** another stage of the same Dockerfile, by name or index */
  | { kind: "stage"; stage: string }
  /** an image reference (after ARG expansion) */
  | { kind: "image"; ref: string }
  /** `FROM scratch` */
  | { kind: "scratch" }
  /** an ARG in the reference resolved to nothing: the raw text is kept */
  | { kind: "unresolved"; raw: string; missing: string[] };

/** Something a stage copies or mounts from: `COPY --from=X` or `RUN --mount=…,from=X`. */
export interface StageSource {
  /** Resolved like a base: another stage, or an image/named-context reference. */
  from: StageBase;
  /** The raw text after ARG expansion, as it appears in the Dockerfile. */
  raw: string;
  instruction: "COPY" | "ADD" | "RUN";
  location: SourceLocation;
}

export interface Stage {
  /** Name given with `AS`, or the index as a string when unnamed. */
  name: string;
  index: number;
  /** Whether the stage was given a name with `AS`. */
  named: boolean;
  base: StageBase;
  /** The FROM reference as written, before ARG expansion. */
  rawFrom: string;
  platform?: string;
  sources: StageSource[];
  cacheMounts: CacheMount[];
  /** Number of build steps (instructions after FROM that make a step). */
  steps: number;
  /**
   * The `m` of BuildKit's `[stage n/m]` progress lines: `steps`, plus one for a FROM that pulls an image
   * (a FROM of another stage or of scratch makes no step).
   */
  progressTotal?: number;
  location: SourceLocation;
}

/** Something in a Dockerfile that BuildKit refuses, or that dockbuild will not read: the plan stops with exit 2. */
export interface DockerfileError {
  location: SourceLocation;
  message: string;
  hint?: string;
}

export interface DockerfileAnalysis {
  file: string;
  stages: Stage[];
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string | undefined>;
  /** The value each global ARG has for the build analyzed (its build arg, else its expanded default). */
  resolvedArgs?: Record<string, string | undefined>;
  /** Problems that do not stop planning (an ARG in FROM with no value, say). */
  warnings: { message: string; location: SourceLocation; variable?: string }[];
  /** Problems that do (an unknown instruction, a line BuildKit refuses); `stages` is then empty or partial. */
  errors: DockerfileError[];
}
