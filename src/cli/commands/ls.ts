import { formatLsTable, lsRows } from "../../report/ls-text.js";
import { loadProject } from "../../session/index.js";
import { globalToProjectOptions, type GlobalOptions } from "../global-options.js";
import { printWarnings } from "../print-warnings.js";

/** `dockbuild ls`: every service with a build section, the stage it builds and the stages that takes. */
export async function runLsCommand(options: GlobalOptions & { json?: boolean }): Promise<void> {
  const { graph, warnings } = await loadProject(globalToProjectOptions(options));
  printWarnings(warnings);
  const rows = lsRows(graph.nodes.values());
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  // A terminal's own width up to 120 columns; 100 when the output is not a terminal.
  const columns = process.stdout.isTTY ? (process.stdout.columns ?? 100) : 100;
  process.stdout.write(`${formatLsTable(rows, Math.max(60, Math.min(120, columns)))}\n`);
}
