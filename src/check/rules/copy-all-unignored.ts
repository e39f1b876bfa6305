import { shippedHeavyFolders } from "../context-facts.js";
import { findingAt, stepsOf, type ServiceView } from "../service-view.js";
import { inCode, instructionText } from "../source-edits.js";
import type { RuleFinding } from "../types.js";

const WHOLE_CONTEXT = new Set([".", "./", "*", "/"]);

/**
 * DB006: `COPY . .` (the whole context) while the context holds `.git`, `node_modules`, `.venv` or
 * `__pycache__` and no `.dockerignore` keeps them out: they are sent to the engine and land in the image.
 */
export function copyAllUnignored(view: ServiceView): RuleFinding[] {
  if (!view.context) return [];
  const shipped = shippedHeavyFolders(view.context);
  if (shipped.length === 0) return [];
  const file = view.context.dockerignoreFile;
  return view.stages.flatMap((stage) =>
    stepsOf(view, stage).flatMap((step) => {
      if ((step.kind !== "COPY" && step.kind !== "ADD") || step.from !== undefined) return [];
      if (!step.sources.some((s) => WHOLE_CONTEXT.has(s))) return [];
      const reason = file ? `${file} does not exclude` : "there is no .dockerignore to exclude";
      return [
        findingAt(
          view,
          step.line,
          "DB006",
          `${inCode(instructionText(view.model, step.line, step.endLine))} copies the whole context and ${reason} ${shipped.join(", ")}: they land in the image`,
          `${file ? `add to ${file}` : `create ${view.node.build.context}/.dockerignore with`}:\n${shipped.join("\n")}`,
        ),
      ];
    }),
  );
}
