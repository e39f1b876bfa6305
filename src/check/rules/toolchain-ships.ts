import type { Stage } from "../../dockerfile/types.js";
import { commandKind } from "../command-kinds.js";
import path from "node:path";
import { baseChain, findingAt, rootBase, stepsBefore, stepsOf, type ServiceView } from "../service-view.js";
import { inCode } from "../source-edits.js";
import { runtimeFor, toolchainImage, type RuntimeImage } from "../toolchain-images.js";
import type { RuleFinding } from "../types.js";
import { fromLineNamed, freeStageName } from "./stage-lines.js";

const BUILDER_NAME = /build|compile/;
const PLACEHOLDER = "<build-output>";

/**
 * DB003: the service's image carries its toolchain. Either its target compiles, or is built `FROM` a stage that
 * compiles or is named like a builder, or it is based on a full toolchain image (`golang`, `node`,
 * `maven`…) that a builder stage of the same chain also uses, or it is the only stage, on such an image.
 * A service whose image other services build their builder stages on is a toolchain image by design: never.
 */
export function toolchainShips(view: ServiceView): RuleFinding[] {
  if (view.builderImageFor.length > 0) return [];
  const { target } = view;
  const fromLine = target.location.line ?? 1;
  const chain = baseChain(view, target);
  const compiled = chain.map((stage) => ({ stage, build: buildStep(view, stage) })).find((c) => c.build);
  const builderBelow = chain.slice(0, -1).find((s) => s.named && BUILDER_NAME.test(s.name));
  const only = view.stages.length === 1;
  const base = rootBase(view, target);
  const baseRef = base.kind === "image" ? base.ref : undefined;
  const below = chain.at(-2);

  if (compiled?.build) {
    const { build } = compiled;
    const where =
      compiled.stage === target
        ? only
          ? "the only stage"
          : "the target stage"
        : `stage "${compiled.stage.name}", which the target is built FROM,`;
    const runtime = runtimeFor(baseRef, build.argv);
    return [
      findingAt(
        view,
        fromLine,
        "DB003",
        `${where} runs ${inCode(build.text)} (line ${build.line}): the compiler and everything it needed ship in the image`,
        compiled.stage !== target && below
          ? rebaseFix(view, below, runtime, build)
          : appendFix(view, runtime, build),
      ),
    ];
  }
  if (builderBelow && below) {
    return [
      findingAt(
        view,
        fromLine,
        "DB003",
        `the target is built FROM stage "${builderBelow.name}": the build toolchain ships in the image`,
        rebaseFix(view, below, runtimeFor(baseRef, undefined), undefined),
      ),
    ];
  }
  const image = baseRef === undefined ? undefined : toolchainImage(baseRef);
  if (!image || baseRef === undefined) return [];
  const builder = view.stages.find((s) => s !== target && !chain.includes(s) && sameImage(view, s, baseRef));
  if (!only && !builder) return [];
  const why = only
    ? `the only stage is FROM ${baseRef}, a full toolchain image`
    : `the target is FROM ${baseRef}, the same toolchain image as stage "${builder?.name}"`;
  return [
    findingAt(
      view,
      fromLine,
      "DB003",
      `${why}: its compilers and build tools ship in the image`,
      builder
        ? rebaseFix(view, builder, image.runtime, buildStep(view, builder))
        : appendFix(view, image.runtime, undefined),
    ),
  ];
}

/** The first step of a stage that compiles: its words, its text and line, and the WORKDIR it runs in. */
interface BuildStep {
  argv: string[];
  env: Record<string, string>;
  text: string;
  line: number;
  workdir: string;
}

function buildStep(view: ServiceView, stage: Stage): BuildStep | undefined {
  for (const step of stepsOf(view, stage)) {
    if (step.kind !== "RUN") continue;
    const command = step.commands.find((c) => commandKind(c) === "build");
    if (!command) continue;
    const workdir = stepsBefore(view, stage, step).reduce(
      (dir, s) => (s.kind === "WORKDIR" ? path.posix.resolve(dir, s.dir) : dir),
      "/",
    );
    return { argv: command.argv, env: command.env, text: command.text, line: step.line, workdir };
  }
  return undefined;
}

function sameImage(view: ServiceView, stage: Stage, ref: string): boolean {
  const base = rootBase(view, stage);
  return base.kind === "image" && base.ref === ref;
}

/** The target keeps building (as the builder) and a small final stage after it copies what it built. */
function appendFix(view: ServiceView, runtime: RuntimeImage, build: BuildStep | undefined): string {
  const { target } = view;
  const builderName = target.named ? target.name : freeStageName(view, ["builder"]);
  const finalName = freeStageName(view, ["production", "runtime"], [builderName]);
  const retarget = view.node.build.target === undefined ? "" : `, and set build.target: ${finalName}`;
  return [
    `${intro(runtime, build)}${retarget}:`,
    fromLineNamed(view, target, builderName),
    `# … the rest of stage "${builderName}", unchanged`,
    `FROM ${runtime.image} AS ${finalName}`,
    copyLine(builderName, build),
  ].join("\n");
}

/** The target is based on the small image instead of `builder`, and copies what `builder` built. */
function rebaseFix(
  view: ServiceView,
  builder: Stage,
  runtime: RuntimeImage,
  build: BuildStep | undefined,
): string {
  const { target } = view;
  const builderName = builder.named ? builder.name : freeStageName(view, ["builder"]);
  return [
    `${intro(runtime, build)}:`,
    fromLineNamed(view, builder, builderName),
    `# … the rest of stage "${builderName}", unchanged`,
    `FROM ${runtime.image}${target.named ? ` AS ${target.name}` : ""}`,
    copyLine(builderName, build),
    "# … the rest of the target's instructions, without those that need the toolchain",
  ].join("\n");
}

function intro(runtime: RuntimeImage, build: BuildStep | undefined): string {
  const alternative = runtime.alternative ? ` (or ${runtime.alternative})` : "";
  const placeholder = output(build) ? "" : `, ${PLACEHOLDER} being the files the build writes`;
  return `end with a stage on ${runtime.image}${alternative} that copies only the build output${placeholder}`;
}

function copyLine(builderName: string, build: BuildStep | undefined): string {
  const written = output(build);
  if (written === undefined) return `COPY --from=${builderName} ${PLACEHOLDER} /app/`;
  return `COPY --from=${builderName} ${written.source} ${written.dest}`;
}

/**
 * What the build command says it writes and where it goes in the final image: `go build -o FILE`, `gcc -o
 * FILE` (the file at the root), `go install` (its bin folder into /usr/local/bin/), `make install DESTDIR=DIR`
 * (the tree at the root).
 */
function output(build: BuildStep | undefined): { source: string; dest: string } | undefined {
  if (!build) return undefined;
  const [program = "", sub] = build.argv;
  const o = build.argv.indexOf("-o");
  const named = ["go", "gcc", "g++", "cc", "clang", "clang++"].includes(path.posix.basename(program));
  const file = named && o >= 0 ? build.argv[o + 1] : undefined;
  if (file !== undefined && !file.includes("$")) {
    const source = path.posix.resolve(build.workdir, file);
    return { source, dest: `/${path.posix.basename(source)}` };
  }
  if (program === "go" && sub === "install") {
    const bin = build.env.GOBIN ?? `${build.env.GOPATH ?? "/go"}/bin`;
    return bin.includes("$") ? undefined : { source: `${bin.replace(/\/$/, "")}/`, dest: "/usr/local/bin/" };
  }
  if (program === "make" && build.argv.includes("install")) {
    const destdir =
      build.argv.find((a) => a.startsWith("DESTDIR="))?.slice("DESTDIR=".length) ?? build.env.DESTDIR;
    if (!destdir || destdir.includes("$")) return undefined;
    return { source: `${path.posix.resolve(build.workdir, destdir)}/`.replace(/\/+$/, "/"), dest: "/" };
  }
  return undefined;
}
