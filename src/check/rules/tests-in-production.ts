import type { Stage } from "../../dockerfile/types.js";
import { commandKind } from "../command-kinds.js";
import type { Step } from "../dockerfile-model.js";
import { findingAt, stepsOf, type ServiceView } from "../service-view.js";
import type { ShellCommand } from "../shell-commands.js";
import { writtenText } from "../shell-commands.js";
import { inCode, linesOf } from "../source-edits.js";
import type { RuleFinding } from "../types.js";
import { freeStageName, fromLineNamed } from "./stage-lines.js";

const TEST_STAGE = /^(tests?|testing|lint|check|ci|spec)([-_].*)?$|[-_](tests?|lint|check)$/;

/**
 * DB004: the target's stages include a test stage (by name) or a stage that runs tests or linters, so every
 * production build runs them. A service whose target is itself a test stage is what it says and is left alone.
 */
export function testsInProduction(view: ServiceView): RuleFinding[] {
  if (view.target.named && TEST_STAGE.test(view.target.name)) return [];
  const findings: RuleFinding[] = [];
  for (const stage of view.stages) {
    const step = stepsOf(view, stage).find(
      (s) => s.kind === "RUN" && s.commands.some((c) => commandKind(c) === "test"),
    );
    const testStage = stage.named && stage !== view.target && TEST_STAGE.test(stage.name);
    if (step?.kind === "RUN") {
      const command = step.commands.find((c) => commandKind(c) === "test") as ShellCommand;
      findings.push(
        findingAt(
          view,
          step.line,
          "DB004",
          stage === view.target
            ? `${inCode(command.text)} runs in the stage the image is built from: every production build runs it`
            : `${inCode(command.text)} runs in stage "${stage.name}", which the target "${view.target.name}" needs: every production build runs it`,
          testStage ? copyInstead(view, stage) : moveTests(view, stage, step, command),
        ),
      );
    } else if (testStage) {
      findings.push(
        findingAt(
          view,
          stage.location.line ?? 1,
          "DB004",
          `test stage "${stage.name}" is built for the target "${view.target.name}" (it is copied from or built on): every production build runs it`,
          copyInstead(view, stage),
        ),
      );
    }
  }
  return findings;
}

/** Move the test command into a stage of its own, built on the stage it ran in. */
function moveTests(
  view: ServiceView,
  stage: Stage,
  run: Step & { kind: "RUN" },
  command: ShellCommand,
): string {
  const baseName = stage.named
    ? stage.name
    : freeStageName(view, stage === view.target ? ["production"] : ["builder"]);
  const testName = freeStageName(view, ["test", "tests"], [baseName]);
  const alone = run.commands.every((c) => commandKind(c) === "test");
  const lines = alone
    ? linesOf(view.model, run.line, run.endLine)
    : [
        `RUN ${command.span ? writtenText(view.model.text, command.span.start, command.span.end, Infinity) : command.argv.join(" ")}`,
      ];
  const what = alone ? `line ${run.line}` : `${inCode(command.text)} (line ${run.line})`;
  return [
    `move ${what} into a stage of its own that the production target neither builds FROM nor copies from, and build it on request (dockbuild all --stage ${testName}):`,
    ...(stage.named
      ? []
      : [fromLineNamed(view, stage, baseName), `# … the rest of this stage, without the tests`]),
    `FROM ${baseName} AS ${testName}`,
    ...lines,
  ].join("\n");
}

/** Point what the target takes from the test stage at the stage the tests run on. */
function copyInstead(view: ServiceView, test: Stage): string {
  const below = test.base.kind === "stage" ? test.base.stage : undefined;
  const on = `so that "${test.name}" is built only on request (dockbuild all --stage ${test.name})`;
  if (below === undefined) return `copy from a stage that builds without running the tests, ${on}`;
  const edited: string[] = [];
  const name = escapeRegExp(test.name);
  for (const stage of view.stages) {
    if (stage === test) continue;
    const lines = new Set<number>();
    if (stage.base.kind === "stage" && stage.base.stage === test.name) lines.add(stage.location.line ?? 0);
    for (const source of stage.sources) {
      if (source.from.kind === "stage" && source.from.stage === test.name)
        lines.add(source.location.line ?? 0);
    }
    for (const line of lines) {
      const text = linesOf(view.model, line)[0] ?? "";
      const fixed = text
        .replace(new RegExp(`^(\\s*from\\s+(?:--\\S+\\s+)*)${name}(?=\\s|$)`, "i"), `$1${below}`)
        .replace(new RegExp(`(\\bfrom=)(["']?)${name}\\2(?=[\\s,]|$)`, "gi"), `$1$2${below}$2`);
      if (fixed !== text) edited.push(fixed);
    }
  }
  const intro = `build on or copy from "${below}", the stage the tests run on, instead, ${on}`;
  return edited.length > 0 ? [`${intro}:`, ...edited].join("\n") : intro;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
