import { loadProject, planBuild } from "../../session/index.js";
import { planToJson } from "../../report/plan-json.js";
import { planToText } from "../../report/plan-text.js";
import { planToDot, planToMermaid } from "../../report/plan-graph.js";
import { affectedSince, globalToProjectOptions, type GlobalOptions } from "../global-options.js";

interface PlanFlags extends GlobalOptions {
  json?: boolean;
  format: "text" | "json" | "mermaid" | "dot";
  stages?: boolean;
  deps: boolean;
  affected?: boolean;
  since?: string;
  builder?: string[];
}

/** `dockbuild plan`: load, select, plan, print; builds nothing. */
export async function runPlanCommand(names: string[], flags: PlanFlags): Promise<void> {
  const since = affectedSince(flags);
  const loaded = await loadProject(globalToProjectOptions(flags));
  const plan = await planBuild(loaded, {
    services: names,
    noDeps: !flags.deps,
    ...(since !== undefined ? { affectedSince: since } : {}),
    ...(flags.builder !== undefined ? { builders: flags.builder } : {}),
  });
  const warnings = [...loaded.project.warnings, ...loaded.graph.warnings];
  const format = flags.json ? "json" : flags.format;
  const out =
    format === "json"
      ? JSON.stringify(planToJson(plan, warnings), null, 2)
      : format === "mermaid"
        ? planToMermaid(plan, { stages: flags.stages === true })
        : format === "dot"
          ? planToDot(plan, { stages: flags.stages === true })
          : planToText(plan, { project: loaded.project.name, warnings });
  process.stdout.write(`${out}\n`);
  if (format !== "text") for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
}
