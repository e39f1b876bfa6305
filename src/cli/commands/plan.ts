import { loadProject, planBuild } from "../../session/index.js";
import { planToJson } from "../../report/plan-json.js";
import { planToText } from "../../report/plan-text.js";
import { planToDot, planToMermaid } from "../../report/plan-graph.js";
import { affectedSince, globalToProjectOptions, type GlobalOptions } from "../global-options.js";
import { servicesBehindProfiles } from "../../select/select.js";
import { printWarnings } from "../print-warnings.js";
import { jsonChunks, writeChunks } from "../../util/json-chunks.js";

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
  const { warnings } = loaded;
  // Profiles only hide services from `all`; a service named on the command line is planned whatever its profiles.
  const asksAll = names.every((n) => n === "all");
  const hidden = asksAll ? servicesBehindProfiles(loaded.graph) : [];
  const format = flags.json ? "json" : flags.format;
  if (format === "json") {
    const write = (text: string) => process.stdout.write(text);
    writeChunks(write, jsonChunks(planToJson(plan, warnings, hidden)));
    write("\n");
    printWarnings(warnings);
    return;
  }
  const out =
    format === "mermaid"
      ? planToMermaid(plan, { stages: flags.stages === true })
      : format === "dot"
        ? planToDot(plan, { stages: flags.stages === true })
        : planToText(plan, {
            project: loaded.project.name,
            warnings,
            hidden,
            activeProfiles: loaded.project.activeProfiles,
          });
  process.stdout.write(`${out}\n`);
  // The text has a warnings section of its own; the other formats leave stdout to a program.
  if (format !== "text") printWarnings(warnings);
}
