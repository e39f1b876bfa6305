import type { Stage } from "./types.js";

/**
 * The stage whose size shows what a multi-stage build saves: the one the target copies its artifacts from
 * (`COPY --from=builder`), else a stage named like a builder; none when the target is the only stage.
 */
export function builderStageOf(stages: readonly Stage[]): string | undefined {
  const target = stages.at(-1);
  if (!target || stages.length < 2) return undefined;
  const copied = target.sources.find((s) => s.instruction === "COPY" && s.from.kind === "stage");
  if (copied?.from.kind === "stage") return copied.from.stage;
  const named = stages
    .slice(0, -1)
    .reverse()
    .find((s) => /build|compile/i.test(s.name));
  if (named) return named.name;
  return target.base.kind === "stage" ? undefined : stages.at(-2)?.name;
}
