import { inputError } from "../errors.js";
import type { DockerfileAnalysis, Stage } from "./types.js";

/**
 * The stages BuildKit builds for a target, in build order: the target and every stage it reaches through its
 * base or a COPY/mount source; the last stage when no target is given. Stages nobody reaches (a `test` stage
 * beside `production`) are left out. Target names match in any case, as BuildKit lower-cases stage names.
 */
export function stagesForTarget(analysis: DockerfileAnalysis, target?: string): Stage[] {
  const { stages } = analysis;
  const byName = new Map(stages.filter((s) => s.named).map((s) => [s.name, s]));
  const last = stages.at(-1);
  if (!last) {
    throw inputError("the Dockerfile has no FROM, so no stage to build", { file: analysis.file, line: 1 });
  }
  const root = target === undefined ? last : byName.get(target.toLowerCase());
  if (!root) {
    const named = [...byName.keys()];
    throw inputError(
      `target stage "${target}" not found`,
      { file: analysis.file, line: 1 },
      named.length > 0
        ? `stages in this Dockerfile: ${named.join(", ")}`
        : "this Dockerfile names no stage (FROM … AS name)",
    );
  }
  // Stage names are unique in `byName` (the later one wins); unnamed stages go by their index.
  const byIndexName = new Map(stages.filter((s) => !s.named).map((s) => [s.name, s]));
  const needed = new Set<Stage>();
  const todo = [root]; // a list, not recursion: a generated file can chain thousands of stages
  while (todo.length > 0) {
    const stage = todo.pop() as Stage;
    if (needed.has(stage)) continue;
    needed.add(stage);
    for (const from of [stage.base, ...stage.sources.map((s) => s.from)]) {
      if (from.kind !== "stage") continue;
      const dependency = byName.get(from.stage) ?? byIndexName.get(from.stage);
      if (dependency) todo.push(dependency);
    }
  }
  return stages.filter((s) => needed.has(s));
}
