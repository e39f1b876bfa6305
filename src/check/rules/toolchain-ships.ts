import type { Stage } from "../../dockerfile/types.js";
import { commandKind } from "../command-kinds.js";
import { baseChain, findingAt, rootBase, stepsOf, type ServiceView } from "../service-view.js";
import { toolchainImage } from "../toolchain-images.js";
import type { RuleFinding } from "../types.js";

const BUILDER_NAME = /build|compile/;

/**
 * DB003: the service's image carries its toolchain. Either its target compiles, or is built `FROM` a stage that
 * compiles or is named like a builder, or it is based on a full toolchain image (`golang`, `node`,
 * `maven`…) that a builder stage of the same chain also uses, or it is the only stage, on such an image.
 */
export function toolchainShips(view: ServiceView): RuleFinding[] {
  const { target } = view;
  const fromLine = target.location.line ?? 1;
  const chain = baseChain(view, target);
  const compiled = chain.map((stage) => ({ stage, build: buildStep(view, stage) })).find((c) => c.build);
  const builderBelow = chain.slice(0, -1).find((s) => s.named && BUILDER_NAME.test(s.name));
  const only = view.stages.length === 1;
  const base = rootBase(view, target);
  const image = base.kind === "image" ? toolchainImage(base.ref) : undefined;
  const artifact = compiled?.build?.artifact ?? "<the build output>";
  const name = target.named ? target.name : "production";

  if (compiled) {
    const where =
      compiled.stage === target
        ? only
          ? "the only stage"
          : "the target stage"
        : `stage "${compiled.stage.name}", which the target is built FROM,`;
    const runtime = image?.runtime ?? "a slim, distroless or scratch base";
    return [
      findingAt(
        view,
        fromLine,
        "DB003",
        `${where} runs \`${compiled.build?.display}\` (line ${compiled.build?.line}): the compiler and everything it needed ship in the image`,
        finalStageFix(compiled.stage === target ? undefined : compiled.stage, runtime, artifact, name),
      ),
    ];
  }
  if (builderBelow) {
    return [
      findingAt(
        view,
        fromLine,
        "DB003",
        `the target is built FROM stage "${builderBelow.name}": the build toolchain ships in the image`,
        finalStageFix(builderBelow, image?.runtime ?? "a slim, distroless or scratch base", artifact, name),
      ),
    ];
  }
  if (!image || base.kind !== "image") return [];
  const builder = view.stages.find((s) => s !== target && !chain.includes(s) && sameImage(view, s, base.ref));
  if (!only && !builder) return [];
  const output = (builder && buildStep(view, builder)?.artifact) ?? artifact;
  const why = only
    ? `the only stage is FROM ${base.ref}, a full toolchain image`
    : `the target is FROM ${base.ref}, the same toolchain image as stage "${builder?.name}"`;
  return [
    findingAt(
      view,
      fromLine,
      "DB003",
      `${why}: its compilers and build tools ship in the image`,
      only
        ? `build in a "builder" stage and ship from a small one:\nFROM ${base.ref} AS builder\n…\nFROM ${image.runtime.split(" ")[0]} AS production\nCOPY --from=builder ${artifact} …`
        : `base the target on a small image:\nFROM ${image.runtime.split(" ")[0]} AS ${name}\nCOPY --from=${builder?.named ? builder.name : "builder"} ${output} …${builder?.named ? "" : `   # and name stage ${builder?.index}: FROM … AS builder`}`,
    ),
  ];
}

/** The first step of a stage that compiles, with the file it writes when the command says (`-o FILE`). */
function buildStep(
  view: ServiceView,
  stage: Stage,
): { display: string; line: number; artifact?: string } | undefined {
  for (const step of stepsOf(view, stage)) {
    if (step.kind !== "RUN") continue;
    const command = step.commands.find((c) => commandKind(c) === "build");
    if (!command) continue;
    const o = command.argv.indexOf("-o");
    return {
      display: command.argv.join(" "),
      line: step.line,
      artifact: o >= 0 ? command.argv[o + 1] : undefined,
    };
  }
  return undefined;
}

function sameImage(view: ServiceView, stage: Stage, ref: string): boolean {
  const base = rootBase(view, stage);
  return base.kind === "image" && base.ref === ref;
}

function finalStageFix(builder: Stage | undefined, runtime: string, artifact: string, name: string): string {
  const from = runtime.split(" ")[0];
  const builderName = builder?.named ? builder.name : "builder";
  const naming = !builder
    ? [`FROM … AS builder   # this stage, renamed: it compiles`, "…"]
    : builder.named
      ? []
      : [`FROM … AS builder   # name stage ${builder.index} (line ${builder.location.line})`];
  return [
    `end with a stage built on ${runtime} that copies only the build output:`,
    ...naming,
    `FROM ${from} AS ${name}`,
    `COPY --from=${builderName} ${artifact} …`,
  ].join("\n");
}
