import { selectForCommand } from "../selection.js";
import { planBuild } from "../../plan/plan.js";
import { planToJson } from "../../report/plan-json.js";
import { planToText } from "../../report/plan-text.js";
import { planToDot, planToMermaid } from "../../report/plan-graph.js";
import { loadWorkspace } from "../workspace.js";
import type { GlobalOptions } from "../global-options.js";

interface PlanOptions extends GlobalOptions {
  json?: boolean;
  format: "text" | "json" | "mermaid" | "dot";
  stages?: boolean;
  deps: boolean;
  affected?: boolean;
  since?: string;
}

/** `dockbuild plan`: load, select, plan, print; builds nothing. */
export async function runPlanCommand(names: string[], options: PlanOptions): Promise<void> {
  const workspace = await loadWorkspace(options);
  const selection = await selectForCommand(workspace, names, options);
  const plan = planBuild(workspace.graph, selection);
  const warnings = [...workspace.project.warnings, ...workspace.graph.warnings];
  const format = options.json ? "json" : options.format;
  const out =
    format === "json"
      ? JSON.stringify(planToJson(plan, warnings), null, 2)
      : format === "mermaid"
        ? planToMermaid(plan, { stages: options.stages === true })
        : format === "dot"
          ? planToDot(plan, { stages: options.stages === true })
          : planToText(plan, { project: workspace.project.name, warnings });
  process.stdout.write(`${out}\n`);
  if (format !== "text") for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
}
