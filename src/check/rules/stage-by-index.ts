import { commandKind } from "../command-kinds.js";
import { findingAt, stepsOf, type ServiceView } from "../service-view.js";
import { linesOf } from "../source-edits.js";
import type { RuleFinding } from "../types.js";
import { freeStageName, fromLineNamed } from "./stage-lines.js";

/** DB005: `COPY --from=<index>`: adding or moving a stage silently changes what is copied. Name the stage. */
export function stageByIndex(view: ServiceView): RuleFinding[] {
  return view.stages.flatMap((stage) =>
    stage.sources
      .filter((source) => source.instruction === "COPY" && /^\d+$/.test(source.raw))
      .map((source) => {
        const line = source.location.line ?? 1;
        const copied = view.node.analysis.stages[Number(source.raw)];
        const message = `COPY --from=${source.raw} names a stage by its position: adding or moving a stage silently changes what is copied`;
        if (!copied) return findingAt(view, line, "DB005", message, "name the stage and copy from the name");
        const compiles = stepsOf(view, copied).some(
          (s) => s.kind === "RUN" && s.commands.some((c) => commandKind(c) === "build"),
        );
        const name = copied.named
          ? copied.name
          : freeStageName(view, [compiles ? "builder" : `stage-${source.raw}`]);
        const copy = (linesOf(view.model, line)[0] ?? "").replace(
          new RegExp(`(--from=)(["']?)${source.raw}\\2(?=\\s|$)`, "i"),
          `$1$2${name}$2`,
        );
        const fix = copied.named
          ? ["copy from the stage's name:", copy]
          : [
              `name stage ${source.raw} (line ${copied.location.line ?? "?"}) and copy from the name:`,
              fromLineNamed(view, copied, name),
              copy,
            ];
        return findingAt(view, line, "DB005", message, fix.join("\n"));
      }),
  );
}
