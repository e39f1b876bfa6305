import {
  DockerfileParser,
  type Arg,
  type Copy,
  type Env,
  type From,
  type Instruction,
  type Run,
} from "dockerfile-ast";
import { applyToStageScope, resolveGlobalScope, type BuildArgs, type GlobalScope } from "./arg-scope.js";
import type { PlatformChoice } from "./platform-args.js";
import { readFrom } from "./read-from.js";
import { readCopyFrom, readMounts, type SourceContext } from "./read-sources.js";
import type { ReferenceSite, ScanWarning } from "./reference-site.js";
import type { DockerfileAnalysis, Stage } from "./types.js";

/** Everything one pass over a Dockerfile finds: the analysis, plus where each reference is written. */
export interface DockerfileScan extends DockerfileAnalysis {
  sites: ReferenceSite[];
  global: GlobalScope;
}

/** Instructions that make a step in BuildKit's `[n/m]` progress (convert.go counts these, plus FROM an image). */
const STEP_KEYWORDS = new Set(["RUN", "COPY", "ADD", "WORKDIR"]);

/**
 * Read a Dockerfile once, with dockerfile-ast, into stages and reference sites, resolving names the way
 * BuildKit's dockerfile2llb does. Never throws: what BuildKit would reject is returned as a warning.
 * See https://github.com/moby/buildkit/blob/v0.12.5/frontend/dockerfile/dockerfile2llb/convert.go
 */
export function scanDockerfile(
  text: string,
  file: string,
  buildArgs: BuildArgs,
  platform?: PlatformChoice,
): DockerfileScan {
  const dockerfile = DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();
  const global = resolveGlobalScope(dockerfile, buildArgs, platform, escape);
  const warnings: ScanWarning[] = [];
  const sites: ReferenceSite[] = [];
  const at = (instruction: Instruction) => ({ file, line: instruction.getRange().start.line + 1 });

  const groups = groupByStage(dockerfile.getInstructions());
  // FROM only sees stages defined above it; COPY --from and --mount=from see every stage (BuildKit registers
  // all stages before resolving sources). Stage names are lower-cased; a later duplicate wins.
  const byName = new Map<string, number>();
  const stages: Stage[] = [];
  const baseIndexes: (number | undefined)[] = [];
  for (const [index, { from }] of groups.entries()) {
    const stage = readFrom(from, index, {
      earlier: byName,
      global,
      escape,
      location: at(from),
      warnings,
      sites,
    });
    baseIndexes.push(stage.base.kind === "stage" ? byName.get(stage.base.stage) : undefined);
    if (stage.named) {
      if (byName.has(stage.name)) {
        const message = `stage name "${stage.name}" is used twice; the later stage wins`;
        warnings.push({ message, location: stage.location });
      }
      byName.set(stage.name, index);
    }
    stages.push(stage);
  }

  // A stage sees the ARG and ENV values of the stage it is built on, as BuildKit carries the env over.
  const scopes: Map<string, string>[] = [];
  for (const [index, { body }] of groups.entries()) {
    const stage = stages[index] as Stage;
    const baseIndex = baseIndexes[index];
    const scope = new Map(baseIndex === undefined ? [] : scopes[baseIndex]);
    scopes.push(scope);
    const context: SourceContext = { stages, byName, stage, global, scope, escape, warnings, sites };
    for (const instruction of body) {
      const keyword = instruction.getKeyword();
      if (STEP_KEYWORDS.has(keyword)) stage.steps++;
      if (keyword === "ARG" || keyword === "ENV") {
        applyToStageScope(instruction as Arg | Env, scope, global, buildArgs, escape);
      } else if (keyword === "COPY") readCopyFrom(context, instruction as Copy, at(instruction));
      else if (keyword === "RUN") readMounts(context, instruction as Run, at(instruction));
    }
    const pullsImage = stage.base.kind === "image" || stage.base.kind === "unresolved";
    stage.progressTotal = stage.steps + (pullsImage ? 1 : 0);
  }
  warnings.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
  const { defaults: globalArgs, resolved: resolvedArgs } = global;
  return { file, stages, globalArgs, resolvedArgs, warnings, sites, global };
}

/** Split instructions into stages: each FROM and what follows it. Anything before the first FROM is global. */
function groupByStage(instructions: Instruction[]): { from: From; body: Instruction[] }[] {
  const groups: { from: From; body: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === "FROM") groups.push({ from: instruction as From, body: [] });
    else groups.at(-1)?.body.push(instruction);
  }
  return groups;
}
