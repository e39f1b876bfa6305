import { commandKind } from "../command-kinds.js";
import { findingAt, stepsOf, type ServiceView } from "../service-view.js";
import type { RuleFinding } from "../types.js";

/** DB005: `COPY --from=<index>`: adding or moving a stage silently changes what is copied. Name the stage. */
export function stageByIndex(view: ServiceView): RuleFinding[] {
  const taken = new Set(view.node.analysis.stages.map((s) => s.name));
  return view.stages.flatMap((stage) =>
    stage.sources
      .filter((source) => source.instruction === "COPY" && /^\d+$/.test(source.raw))
      .map((source) => {
        const copied = view.node.analysis.stages[Number(source.raw)];
        const compiles = copied
          ? stepsOf(view, copied).some(
              (s) => s.kind === "RUN" && s.commands.some((c) => commandKind(c) === "build"),
            )
          : false;
        const wanted = compiles ? "builder" : `stage-${source.raw}`;
        const name = taken.has(wanted) ? `${wanted}-${source.raw}` : wanted;
        const message = `COPY --from=${source.raw} names a stage by its position: adding or moving a stage silently changes what is copied`;
        if (copied?.named) {
          return findingAt(
            view,
            source.location.line ?? 1,
            "DB005",
            message,
            `copy from the stage's name:\nCOPY --from=${copied.name} …`,
          );
        }
        return findingAt(
          view,
          source.location.line ?? 1,
          "DB005",
          message,
          `name the stage and copy from the name:\nFROM ${copied?.rawFrom ?? "…"} AS ${name}   # line ${copied?.location.line ?? "?"}\nCOPY --from=${name} …`,
        );
      }),
  );
}
