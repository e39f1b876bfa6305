import type { Stage, StageBase } from "../dockerfile/types.js";
import type { ServiceNode } from "../graph/types.js";
import type { ContextFacts } from "./context-facts.js";
import type { DockerfileModel, Step } from "./dockerfile-model.js";
import type { RuleFinding } from "./types.js";

/** One service as the rules see it: the stages its target builds, their instructions, and its context. */
export interface ServiceView {
  node: ServiceNode;
  model: DockerfileModel;
  /** The stages the target builds, in Dockerfile order. */
  stages: Stage[];
  /** The stage the service's image is: its `build.target`, else the last stage. */
  target: Stage;
  context?: ContextFacts;
  /** Normalized image reference → the service that builds it. */
  imageOwners: ReadonlyMap<string, string>;
  /** The services that build a builder stage on this service's image (so it is a toolchain image by design). */
  builderImageFor: string[];
}

/** What the variables and user are at a step: the stage's `ENV`s and `USER`s and those of the stages below it. */
export interface StepScope {
  env: Record<string, string>;
  user: string;
  home: string;
}

/** A service's view, or undefined when its Dockerfile could not be read or analysed (a remote context). */
export function viewService(
  node: ServiceNode,
  model: DockerfileModel,
  imageOwners: ReadonlyMap<string, string>,
  context?: ContextFacts,
  builderImageFor: string[] = [],
): ServiceView | undefined {
  const target = targetStage(node);
  if (!target) return undefined;
  return { node, model, stages: node.stages, target, context, imageOwners, builderImageFor };
}

/** The stage a service's image is: its `build.target`, else the last stage it builds. */
export function targetStage(node: ServiceNode): Stage | undefined {
  const wanted = node.build.target?.toLowerCase();
  const { stages } = node;
  return (wanted === undefined ? undefined : stages.find((s) => s.name === wanted)) ?? stages.at(-1);
}

/** The instructions of a stage. */
export function stepsOf(view: ServiceView, stage: Stage): Step[] {
  return view.model.stages[stage.index]?.steps ?? [];
}

/** The stage and the stages it is built `FROM`, bottom first (`[deps, builder]` for `FROM deps AS builder`). */
export function baseChain(view: ServiceView, stage: Stage): Stage[] {
  return stageChain(view.node, stage);
}

/** `baseChain` for a service node. */
export function stageChain(node: ServiceNode, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  let current: Stage | undefined = stage;
  while (current && !chain.includes(current)) {
    chain.unshift(current);
    const base: StageBase = current.base;
    current = base.kind === "stage" ? node.analysis.stages.find((s) => s.name === base.stage) : undefined;
  }
  return chain;
}

/** What a stage is built on at the bottom of its FROM chain: an image, `scratch`, or an unresolved reference. */
export function rootBase(view: ServiceView, stage: Stage): StageBase {
  return baseChain(view, stage)[0]?.base ?? stage.base;
}

/** The steps that run before `step` in its stage's image: every step of the stages below, then the stage's own. */
export function stepsBefore(view: ServiceView, stage: Stage, step: Step): Step[] {
  const chain = baseChain(view, stage);
  const below = chain.slice(0, -1).flatMap((s) => stepsOf(view, s));
  const own = stepsOf(view, stage);
  return [...below, ...own.slice(0, own.indexOf(step))];
}

/** The variables and user in force at a step. */
export function scopeAt(view: ServiceView, stage: Stage, step: Step): StepScope {
  const env: Record<string, string> = {};
  let user = "root";
  for (const before of stepsBefore(view, stage, step)) {
    if (before.kind === "ENV") Object.assign(env, before.values);
    else if (before.kind === "USER") user = before.user.split(":")[0] ?? "root";
  }
  const home =
    env.HOME ?? (user === "root" || user === "0" || /^\d+$/.test(user) ? "/root" : `/home/${user}`);
  return { env, user, home };
}

/** A finding at a line of the service's Dockerfile. */
export function findingAt(
  view: ServiceView,
  line: number,
  rule: RuleFinding["rule"],
  message: string,
  fix: string,
): RuleFinding {
  return { rule, location: { file: view.node.dockerfileLabel, line }, message, fix };
}
