import type { InitPlan } from "../../init/plan-init.js";
import { initProject } from "../../session/init.js";
import type { GlobalOptions } from "../global-options.js";
import type { InitCliOptions } from "../init-options.js";

/** `dockbuild init [DIR]`: find the packages, plan the files, print them (`--dry-run`) or write them. */
export async function runInitCommand(
  dir: string | undefined,
  options: GlobalOptions & InitCliOptions,
): Promise<void> {
  const plan = await initProject({
    root: dir ?? options.projectDirectory ?? ".",
    ...(options.file?.[0] !== undefined ? { composeFile: options.file[0] } : {}),
    force: options.force === true,
    dryRun: options.dryRun === true,
  });
  process.stdout.write(formatPlan(plan, options.dryRun === true));
}

function formatPlan(plan: InitPlan, dryRun: boolean): string {
  const lines: string[] = [];
  const done: Record<InitPlan["files"][number]["action"], string> = {
    create: "created",
    overwrite: "overwritten",
    update: "updated",
  };
  const verb = (action: InitPlan["files"][number]["action"]) => (dryRun ? `would ${action}` : done[action]);
  for (const file of plan.files) lines.push(`${verb(file.action).padEnd(16)} ${file.path}  (${file.note})`);
  for (const s of plan.skipped) lines.push(`${"skipped".padEnd(16)} ${s.dir}  (${s.reason})`);
  for (const name of plan.keptServices)
    lines.push(`${"kept".padEnd(16)} service ${name}  (already in the compose file; --force replaces it)`);
  if (plan.files.length === 0)
    lines.push("nothing to write: every package has a Dockerfile (--force rewrites them)");
  if (dryRun) for (const file of plan.files) lines.push("", `--- ${file.path}`, file.content.trimEnd());
  return `${lines.join("\n")}\n`;
}
