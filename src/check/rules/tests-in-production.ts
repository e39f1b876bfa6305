import { commandKind } from "../command-kinds.js";
import { findingAt, stepsOf, type ServiceView } from "../service-view.js";
import type { RuleFinding } from "../types.js";

const TEST_STAGE = /^(tests?|testing|lint|check|ci|spec)([-_].*)?$|[-_](tests?|lint|check)$/;

/**
 * DB004: the target's stages include a test stage (by name) or a stage that runs tests or linters, so every
 * production build runs them. A service whose target is itself a test stage is what it says and is left alone.
 */
export function testsInProduction(view: ServiceView): RuleFinding[] {
  if (view.target.named && TEST_STAGE.test(view.target.name)) return [];
  const findings: RuleFinding[] = [];
  const fix = (stage: string) =>
    `run the tests in a stage the production target neither builds FROM nor copies from, and build it on request (dockbuild all --stage test):\nFROM ${stage} AS test\nRUN …   # the test command, moved here`;
  for (const stage of view.stages) {
    const step = stepsOf(view, stage).find(
      (s) => s.kind === "RUN" && s.commands.some((c) => commandKind(c) === "test"),
    );
    const builderName = stage === view.target ? "builder" : stage.name;
    const testStage = stage.named && stage !== view.target && TEST_STAGE.test(stage.name);
    const below = stage.base.kind === "stage" ? stage.base.stage : undefined;
    const copyInstead = `copy from the stage the tests run on instead, so that "${stage.name}" is built only on request (dockbuild all --stage ${stage.name}):\nCOPY --from=${below ?? "builder"} …`;
    if (step?.kind === "RUN") {
      const command = step.commands.find((c) => commandKind(c) === "test");
      findings.push(
        findingAt(
          view,
          step.line,
          "DB004",
          stage === view.target
            ? `\`${command?.argv.join(" ")}\` runs in the stage the image is built from: every production build runs it`
            : `\`${command?.argv.join(" ")}\` runs in stage "${stage.name}", which the target "${view.target.name}" needs: every production build runs it`,
          testStage ? copyInstead : fix(builderName),
        ),
      );
    } else if (testStage) {
      findings.push(
        findingAt(
          view,
          stage.location.line ?? 1,
          "DB004",
          `test stage "${stage.name}" is built for the target "${view.target.name}" (it is copied from or built on): every production build runs it`,
          copyInstead,
        ),
      );
    }
  }
  return findings;
}
