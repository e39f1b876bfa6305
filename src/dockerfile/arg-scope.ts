import type { Arg, Dockerfile, Env, Property } from "dockerfile-ast";
import { expandWord, expansionBudget, ExpansionLimitError, type ExpansionBudget } from "./expand-word.js";
import { AUTOMATIC_PLATFORM_ARGS, platformArgs, type PlatformChoice } from "./platform-args.js";

/**
 * Build args as compose gives them: a key without a value (`args: [NAME]` with NAME not in the environment)
 * is not passed to the engine.
 */
export type BuildArgs = Readonly<Record<string, string | undefined>>;

/** The global scope: what `FROM` lines see. */
export interface GlobalScope {
  /** ARGs declared before the first FROM, with their defaults as written (undefined: no default). */
  defaults: Record<string, string | undefined>;
  /** The value each declared global ARG has for this build (undefined: no default and no build arg). */
  resolved: Record<string, string | undefined>;
  /** Every variable `FROM` can use: automatic platform ARGs and declared global ARGs that have a value. */
  values: Map<string, string>;
  /** What every expansion of this Dockerfile may still produce, shared by all its words. */
  budget: ExpansionBudget;
  /** Build args named without a value: compose takes them from an environment that does not set them. */
  unsetBuildArgs: ReadonlySet<string>;
}

/**
 * Work out the global ARGs as BuildKit does: platform ARGs first (a build arg of the same name overrides them),
 * then each declared ARG in order, a build arg winning over its default, a default expanded with what came
 * before. A build arg for an ARG that is not declared has no effect.
 * See https://github.com/moby/buildkit/blob/v0.12.5/frontend/dockerfile/dockerfile2llb/convert.go (buildMetaArgs)
 */
export function resolveGlobalScope(
  dockerfile: Dockerfile,
  buildArgs: BuildArgs,
  platform: PlatformChoice | undefined,
  escapeChar: string,
): GlobalScope {
  const values = platformArgs(platform);
  for (const name of AUTOMATIC_PLATFORM_ARGS) {
    const override = buildArgs[name];
    if (override !== undefined) values.set(name, override);
  }
  const defaults: Record<string, string | undefined> = {};
  const declared: string[] = [];
  const budget = expansionBudget();
  for (const arg of dockerfile.getInitialARGs()) {
    try {
      for (const property of arg.getProperties()) {
        const name = property.getName();
        const written = rawValue(property);
        if (!(name in defaults) || written !== undefined) defaults[name] = written;
        declared.push(name);
        const value =
          buildArgs[name] ??
          (written === undefined ? undefined : expandWord(written, values, escapeChar, budget).value);
        if (value !== undefined) values.set(name, value);
      }
    } catch (error) {
      if (error instanceof ExpansionLimitError) error.line ??= arg.getRange().start.line + 1;
      throw error;
    }
  }
  const resolved: Record<string, string | undefined> = {};
  for (const name of declared) resolved[name] = values.get(name);
  const unsetBuildArgs = new Set(Object.keys(buildArgs).filter((name) => buildArgs[name] === undefined));
  return { defaults, resolved, values, budget, unsetBuildArgs };
}

/**
 * Apply a stage's `ARG` or `ENV` to the variables its later instructions see. A stage ARG without a default
 * takes the build arg, else the global value of the same name (platform ARGs included), as BuildKit does.
 */
export function applyToStageScope(
  instruction: Arg | Env,
  scope: Map<string, string>,
  global: GlobalScope,
  buildArgs: BuildArgs,
  escapeChar: string,
): void {
  const isArg = instruction.getKeyword() === "ARG";
  for (const property of instruction.getProperties()) {
    const name = property.getName();
    const written = rawValue(property);
    let value: string | undefined;
    if (isArg && buildArgs[name] !== undefined) value = buildArgs[name];
    else if (written !== undefined) value = expandWord(written, scope, escapeChar, global.budget).value;
    else if (isArg) value = global.values.get(name);
    if (value !== undefined) scope.set(name, value);
  }
}

/** The value as written, quotes kept (the expander removes them), escaped newlines dropped. */
function rawValue(property: Property): string | undefined {
  return property.getUnescapedValue() ?? undefined;
}
