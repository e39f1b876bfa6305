import { selectForCommand } from "../selection.js";
import { planBuild } from "../../plan/plan.js";
import { servicesBehindProfiles } from "../../select/select.js";
import { planToJson } from "../../report/plan-json.js";
import { planToText } from "../../report/plan-text.js";
import { planToDot, planToMermaid } from "../../report/plan-graph.js";
import { capLines } from "../../report/warnings.js";
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
  const { warnings } = workspace;
  // Profiles only hide services from `all`; a service named on the command line is planned whatever its profiles.
  const asksAll = names.every((n) => n === "all");
  const hidden = asksAll ? servicesBehindProfiles(workspace.graph) : [];
  const format = options.json ? "json" : options.format;
  const out =
    format === "json"
      ? JSON.stringify(planToJson(plan, warnings, hidden), null, 2)
      : format === "mermaid"
        ? planToMermaid(plan, { stages: options.stages === true })
        : format === "dot"
          ? planToDot(plan, { stages: options.stages === true })
          : planToText(plan, { project: workspace.project.name, warnings, hidden });
  process.stdout.write(`${out}\n`);
  if (format !== "text")
    for (const w of capLines(warnings, "warnings")) process.stderr.write(`warning: ${w}\n`);
}
