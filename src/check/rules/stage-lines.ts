import type { Stage } from "../../dockerfile/types.js";
import type { ServiceView } from "../service-view.js";
import { linesOf } from "../source-edits.js";

/** A stage's FROM line as written, with `AS name` added when the stage has none. */
export function fromLineNamed(view: ServiceView, stage: Stage, name: string): string {
  const line = linesOf(view.model, stage.location.line ?? 1)[0]?.trimEnd() ?? "";
  if (stage.named) return line;
  const as = /^\s*from\b/.test(line) ? "as" : "AS";
  return `${line} ${as} ${name}`;
}

/** The first of the wanted names no stage of the Dockerfile has (nor `taken`); numbered when all are used. */
export function freeStageName(view: ServiceView, wanted: string[], taken: string[] = []): string {
  const used = new Set([...view.node.analysis.stages.map((s) => s.name.toLowerCase()), ...taken]);
  const free = wanted.find((name) => !used.has(name));
  if (free) return free;
  const base = wanted[0] ?? "stage";
  let n = 2;
  while (used.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}
