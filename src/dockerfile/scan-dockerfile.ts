import type { Arg, Copy, Env, From, Instruction, Run } from "dockerfile-ast";
import { applyToStageScope, resolveGlobalScope, type BuildArgs } from "./arg-scope.js";
import { ExpansionLimitError } from "./expand-word.js";
import { parseDockerfile, type ParsedDockerfile } from "./parse-dockerfile.js";
import type { PlatformChoice } from "./platform-args.js";
import { readFrom } from "./read-from.js";
import { readCopyFrom, readMounts, type SourceContext } from "./read-sources.js";
import type { ReferenceSite, ScanWarning } from "./reference-site.js";
import type { DockerfileAnalysis, Stage } from "./types.js";

/** Everything one pass over a Dockerfile finds: the analysis, plus where each reference is written. */
export interface DockerfileScan extends DockerfileAnalysis {
  sites: ReferenceSite[];
}

/** Instructions that make a step in BuildKit's `[n/m]` progress (convert.go counts these, plus FROM an image). */
const STEP_KEYWORDS = new Set(["RUN", "COPY", "ADD", "WORKDIR"]);

/**
 * Read a Dockerfile (text, or parsed once for several builds) into stages and reference sites, resolving names
 * the way BuildKit's dockerfile2llb does. Never throws: what BuildKit would reject at parse time, or an
 * expansion past dockbuild's limits, comes back in `errors`; what it might build anyway, in `warnings`.
 * See https://github.com/moby/buildkit/blob/v0.12.5/frontend/dockerfile/dockerfile2llb/convert.go
 */
export function scanDockerfile(
  source: string | ParsedDockerfile,
  file: string,
  buildArgs: BuildArgs,
  platform?: PlatformChoice,
): DockerfileScan {
  const parsed = typeof source === "string" ? parseDockerfile(source, file) : source;
  const empty = { file, stages: [], globalArgs: {}, resolvedArgs: {}, warnings: [], sites: [] };
  if (parsed.errors.length > 0 || parsed.ast === undefined) return { ...empty, errors: parsed.errors };
  const at = (instruction: Instruction) => ({ file, line: instruction.getRange().start.line + 1 });
  let current: Instruction | undefined;
  try {
    return scanStages(parsed.ast, file, buildArgs, platform, (instruction) => {
      current = instruction;
      return at(instruction);
    });
  } catch (error) {
    if (!(error instanceof ExpansionLimitError)) throw error;
    const line = error.line ?? (current ? at(current).line : undefined);
    return { ...empty, errors: [{ location: { file, line }, message: error.message, hint: error.hint }] };
  }
}

function scanStages(
  dockerfile: NonNullable<ParsedDockerfile["ast"]>,
  file: string,
  buildArgs: BuildArgs,
  platform: PlatformChoice | undefined,
  at: (instruction: Instruction) => { file: string; line: number },
): DockerfileScan {
  const escape = dockerfile.getEscapeCharacter();
  const warnings: ScanWarning[] = [];
  const sites: ReferenceSite[] = [];

  const groups = groupByStage(dockerfile.getInstructions());
  const global = resolveGlobalScope(dockerfile, buildArgs, platform, escape);
  // FROM only sees stages defined above it; COPY --from and --mount=from see every stage (BuildKit registers
  // all stages before resolving sources). Stage names are lower-cased; a later duplicate wins.
  const byName = new Map<string, number>();
  const stages: Stage[] = [];
  const baseIndexes: (number | undefined)[] = [];
  const reused = new Map<string, { location: Stage["location"]; count: number }>();
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
        const seen = reused.get(stage.name);
        if (seen) seen.count++;
        else reused.set(stage.name, { location: stage.location, count: 2 });
      }
      byName.set(stage.name, index);
    }
    stages.push(stage);
  }
  // One warning per name, however often it is reused (a generated file can repeat one name thousands of times).
  for (const [name, { location, count }] of reused) {
    const times = count === 2 ? "twice" : `${count.toLocaleString("en-US")} times`;
    warnings.push({
      message: `stage name "${name}" is used ${times}; the last stage of that name wins`,
      location,
    });
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
      const location = at(instruction);
      const keyword = instruction.getKeyword();
      if (STEP_KEYWORDS.has(keyword)) stage.steps++;
      if (keyword === "ARG" || keyword === "ENV") {
        applyToStageScope(instruction as Arg | Env, scope, global, buildArgs, escape);
      } else if (keyword === "COPY") readCopyFrom(context, instruction as Copy, location);
      else if (keyword === "RUN") readMounts(context, instruction as Run, location);
    }
    const pullsImage = stage.base.kind === "image" || stage.base.kind === "unresolved";
    stage.progressTotal = stage.steps + (pullsImage ? 1 : 0);
  }
  warnings.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
  const { defaults: globalArgs, resolved: resolvedArgs } = global;
  return { file, stages, globalArgs, resolvedArgs, warnings, errors: [], sites };
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
