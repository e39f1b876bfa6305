import { InputError, inputError, type Problem } from "../errors.js";
import type { DockerfileAnalysis, Stage, StageSource } from "./types.js";

/**
 * The stages BuildKit builds for a target, in build order: the target and every stage it reaches through its
 * base or a COPY/mount source; the last stage when no target is given. Stages nobody reaches (a `test` stage
 * beside `production`) are left out. Target names match in any case, as BuildKit lower-cases stage names.
 * A stage that copies or mounts from a stage defined after it (or from itself) is bad input: BuildKit builds
 * stages in order and refuses it, but only when the target needs that stage.
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
  const problems: Problem[] = [];
  const todo = [root]; // a list, not recursion: a generated file can chain thousands of stages
  while (todo.length > 0) {
    const stage = todo.pop() as Stage;
    if (needed.has(stage)) continue;
    needed.add(stage);
    const froms = [{ from: stage.base }, ...stage.sources];
    for (const source of froms) {
      const { from } = source;
      if (from.kind !== "stage") continue;
      const dependency = byName.get(from.stage) ?? byIndexName.get(from.stage);
      if (!dependency) continue;
      todo.push(dependency);
      if ("instruction" in source && dependency.index >= stage.index)
        problems.push(laterStageProblem(source, dependency, stage));
    }
  }
  if (problems.length > 0) throw new InputError(problems.sort((a, b) => line(a) - line(b)));
  return stages.filter((s) => needed.has(s));
}

/** BuildKit's words for a source stage that is not built yet when the stage that reads it is. */
function laterStageProblem(source: StageSource, from: Stage, stage: Stage): Problem {
  const flag = source.instruction === "RUN" ? "RUN --mount=…,from" : `${source.instruction} --from`;
  const refusal =
    source.instruction === "RUN"
      ? `cannot mount from stage "${from.name}", stage needs to be defined before current command`
      : `cannot copy from stage "${from.name}", it needs to be defined before current stage "${stage.name}"`;
  return {
    location: source.location,
    message: `${flag}=${source.raw}: ${from === stage ? `stage "${stage.name}" reads from itself` : `stage "${from.name}" is defined after stage "${stage.name}"`}; BuildKit refuses it: ${refusal}`,
    hint:
      from === stage
        ? "copy from another stage, or from the build context"
        : `move stage "${from.name}" above stage "${stage.name}" (BuildKit builds stages in the order they are written)`,
  };
}

function line(problem: Problem): number {
  return problem.location?.line ?? 0;
}
