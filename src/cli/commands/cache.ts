import path from "node:path";
import {
  DEFAULT_MOUNT_HELPER_IMAGE,
  exportDockerfile,
  importDockerfile,
  mountBuildCommand,
} from "../../cache/mount-build.js";
import { mountsOfServices, planCacheMounts, type MountPlan } from "../../cache/mount-plan.js";
import { exportCacheMounts, importCacheMounts } from "../../cache/mount-transfer.js";
import { formatBytes } from "../../report/format.js";
import { selectServices } from "../../select/select.js";
import type { GlobalOptions } from "../global-options.js";
import { loadWorkspace, type Workspace } from "../workspace.js";
import { prepareEngine, type Engine } from "./engine.js";

/** The options of `dockbuild cache export|import`. */
export interface CacheCommandOptions extends GlobalOptions {
  helperImage?: string;
  deps: boolean;
  dryRun?: boolean;
}

/** `dockbuild cache export DIR [SERVICE...]`: save the selected services' cache mounts to DIR. */
export async function runCacheExportCommand(
  dir: string,
  names: string[],
  options: CacheCommandOptions,
): Promise<void> {
  const { plan, helperImage, engine } = await prepare(names, options);
  const target = path.resolve(dir);
  if (options.dryRun) {
    printDryRun(
      exportDockerfile(plan.mounts, helperImage),
      engine.info,
      path.join(target, ".dockbuild-export-…/context"),
      path.join(target, ".dockbuild-export-…/out"),
    );
    return;
  }
  const result = await exportCacheMounts(target, plan.mounts, { engine: engine.info, helperImage });
  const lines = result.exported.map(
    (m) =>
      `  ${m.id}  →  ${m.folder}  ${m.files} file${m.files === 1 ? "" : "s"}, ${formatBytes(m.bytes)}  (${m.services.join(", ")})`,
  );
  process.stdout.write(
    `exported ${result.exported.length} cache mount${result.exported.length === 1 ? "" : "s"} to ${target}` +
      `${lines.length > 0 ? ":" : ""}\n${lines.map((l) => `${l}\n`).join("")}`,
  );
}

/** `dockbuild cache import DIR [SERVICE...]`: seed the engine's cache mounts from an earlier export. */
export async function runCacheImportCommand(
  dir: string,
  names: string[],
  options: CacheCommandOptions,
): Promise<void> {
  const { plan, helperImage, engine } = await prepare(names, options);
  const source = path.resolve(dir);
  if (options.dryRun) {
    printDryRun(
      importDockerfile(plan.mounts, helperImage),
      engine.info,
      source,
      path.join(source, ".dockbuild-import-…"),
    );
    return;
  }
  const result = await importCacheMounts(source, plan.mounts, { engine: engine.info, helperImage });
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  for (const m of result.missing) {
    process.stderr.write(
      `warning: cache mount ${m.id} (${m.services.join(", ")}) has no folder in ${source}; left as is\n`,
    );
  }
  process.stdout.write(
    `imported ${result.imported.length} cache mount${result.imported.length === 1 ? "" : "s"} from ${source}` +
      `${result.imported.length > 0 ? ":" : ""}\n${result.imported.map((m) => `  ${m.id}  ←  ${m.folder}\n`).join("")}`,
  );
}

async function prepare(
  names: string[],
  options: CacheCommandOptions,
): Promise<{ workspace: Workspace; plan: MountPlan; helperImage: string; engine: Engine }> {
  const workspace = await loadWorkspace(options);
  const selection = selectServices(workspace.graph, workspace.config, { names, noDeps: !options.deps });
  const plan = planCacheMounts(mountsOfServices(selection.services, workspace.graph.nodes));
  for (const s of plan.skipped) {
    process.stderr.write(`warning: cache mount ${s.id} (${s.services.join(", ")}) is skipped: ${s.reason}\n`);
  }
  const helperImage =
    options.helperImage ?? workspace.config.cache?.mountHelperImage ?? DEFAULT_MOUNT_HELPER_IMAGE;
  const engine = await prepareEngine({
    dockerBinary: workspace.config.docker,
    backend: workspace.config.backend,
    dryRun: options.dryRun === true,
  });
  return { workspace, plan, helperImage, engine };
}

function printDryRun(
  dockerfile: string,
  engine: Parameters<typeof mountBuildCommand>[0],
  context: string,
  output: string,
): void {
  const command = mountBuildCommand(engine, { dockerfile, context, output, runId: "<unique per run>" });
  const env = Object.entries(command.env)
    .map(([k, v]) => `${k}=${v} `)
    .join("");
  process.stdout.write(`${env}${[command.file, ...command.args].join(" ")} <<'EOF'\n${dockerfile}EOF\n`);
}
