import { formatBytes } from "../../util/format-bytes.js";
import { findingAt, rootBase, type ServiceView } from "../service-view.js";
import { runtimeFor } from "../toolchain-images.js";
import type { RuleFinding } from "../types.js";

/** What `check --sizes` measured for one service. */
export interface MeasuredSize {
  finalBytes: number;
  /** The builder stage (see builderStageOf) and its size, when the target has one. */
  builder?: { stage: string; bytes: number };
}

/** The limits a service's final image is held to. */
export interface SizeLimits {
  /** Bytes, from the config's `check.maxSize`. */
  maxBytes?: number;
  /** Largest share of the builder stage's size (default 0.5). */
  maxBuilderShare: number;
}

/**
 * DB009: the final image weighs more than its share of the builder stage it was cut from (so most of what built
 * it ships), or more than the config allows.
 */
export function imageSize(view: ServiceView, size: MeasuredSize, limits: SizeLimits): RuleFinding[] {
  const line = view.target.location.line ?? 1;
  const findings: RuleFinding[] = [];
  const { builder } = size;
  if (builder && size.finalBytes > builder.bytes * limits.maxBuilderShare) {
    findings.push(
      findingAt(
        view,
        line,
        "DB009",
        `the final image is ${formatBytes(size.finalBytes)}, ${percent(size.finalBytes / builder.bytes)} of its builder stage "${builder.stage}" (${formatBytes(builder.bytes)}): most of what built it ships`,
        smallBaseFix(view, builder.stage),
      ),
    );
  }
  if (limits.maxBytes !== undefined && size.finalBytes > limits.maxBytes) {
    findings.push(
      findingAt(
        view,
        line,
        "DB009",
        `the final image is ${formatBytes(size.finalBytes)}, above the ${formatBytes(limits.maxBytes)} set for "${view.node.name}" in check.maxSize`,
        `make the image smaller (a multi-stage build with a small final base), or raise check.maxSize.${view.node.name}`,
      ),
    );
  }
  return findings;
}

/** A final stage on the runtime image of the builder's toolchain that copies only the build output. */
function smallBaseFix(view: ServiceView, builderName: string): string {
  const builder = view.node.analysis.stages.find((s) => s.name === builderName);
  const base = builder ? rootBase(view, builder) : undefined;
  const runtime = runtimeFor(base?.kind === "image" ? base.ref : undefined, undefined);
  const alternative = runtime.alternative ? ` (or ${runtime.alternative})` : "";
  return [
    `copy only the build output from "${builderName}" into a small base such as ${runtime.image}${alternative}, <build-output> being the files the build writes:`,
    `FROM ${runtime.image}${view.target.named ? ` AS ${view.target.name}` : ""}`,
    `COPY --from=${builderName} <build-output> /app/`,
  ].join("\n");
}

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Bytes from the config's form (`120MB`, `1.5GiB`, or a number); undefined when it is not one. */
export function parseSize(value: number | string): number | undefined {
  if (typeof value === "number") return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kKMG]i?B|B)\s*$/.exec(value);
  const unit = UNITS[match?.[2]?.toLowerCase() ?? ""];
  return match && unit !== undefined ? Math.round(Number(match[1]) * unit) : undefined;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
