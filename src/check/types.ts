import type { SourceLocation } from "../errors.js";

/** How much a finding matters; the SARIF levels of the same names. */
export type Severity =
  /** costs size or cache hits on every build: fails `dockbuild check` */
  | "error"
  /** worth fixing: fails only with `--strict` */
  | "warning"
  /** for information: never fails */
  | "note";

/** A rule's stable id. */
export type RuleId =
  /** a dependency install after a copy of the sources */
  | "DB001"
  /** an install without a cache mount for its package manager */
  | "DB002"
  /** the toolchain ships in the final image */
  | "DB003"
  /** the production target builds a test stage */
  | "DB004"
  /** `COPY --from=<index>` */
  | "DB005"
  /** `COPY . .` sends `.git` or `node_modules` into the image */
  | "DB006"
  /** a deprecated package-manager flag */
  | "DB007"
  /** an unpinned external base image */
  | "DB008"
  /** a final image too large for its builder stage or its limit (`--sizes`) */
  | "DB009"
  /** a package manager's locked folder in a shared cache mount */
  | "DB010";

/** What a rule is, for the docs, the text report and SARIF's `tool.driver.rules`. */
export interface RuleInfo {
  id: RuleId;
  /** kebab-case name, accepted wherever the id is. */
  name: string;
  severity: Severity;
  /** One line: what the rule finds. */
  summary: string;
}

/** One thing `dockbuild check` found: a rule broken at one Dockerfile line, for one or more services. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  location: SourceLocation & { line: number };
  /** The services whose target builds this line, in file order. */
  services: string[];
  /** One line: what is wrong and what it costs. */
  message: string;
  /** What to write instead: the exact lines where they can be known. */
  fix: string;
}

/** A finding as a rule returns it, for one service; `checkProject` merges services and applies severities. */
export type RuleFinding = Omit<Finding, "severity" | "services">;
