import path from "node:path";
import { openEngine, type Engine } from "../backends/index.js";
import {
  DEFAULT_MOUNT_HELPER_IMAGE,
  exportDockerfile,
  importDockerfile,
  mountBuildCommand,
} from "../cache/mount-build.js";
import { mountsOfServices, planCacheMounts, type MountPlan } from "../cache/mount-plan.js";
import {
  exportCacheMounts,
  importCacheMounts,
  type ExportResult,
  type ImportResult,
} from "../cache/mount-transfer.js";
import { selectServices } from "../select/select.js";
import { loadProject, type ProjectOptions } from "./load-project.js";

/** Which services' cache mounts to move, and how. */
export interface MountTransferOptions extends ProjectOptions {
  /** Services or groups (default: all). */
  services?: string[];
  /** Only the named services' mounts, not those of what they build on. */
  noDeps?: boolean;
  /** An image with a shell and `cp` (default: config `cache.mountHelperImage`, else busybox:latest). */
  helperImage?: string;
}

/** The mounts of a transfer, and those that cannot be moved (with why). */
interface PreparedTransfer {
  plan: MountPlan;
  helperImage: string;
  engine: Engine;
  warnings: string[];
}

/** `dockbuild cache export DIR`: copy the selected services' cache mounts out of the engine into DIR. */
export async function exportMounts(
  dir: string,
  options: MountTransferOptions,
): Promise<ExportResult & { dir: string; warnings: string[] }> {
  const { plan, helperImage, engine, warnings } = await prepareTransfer(options);
  const target = path.resolve(options.cwd ?? process.cwd(), dir);
  const result = await exportCacheMounts(target, plan.mounts, { engine: engine.info, helperImage });
  return { ...result, dir: target, warnings };
}

/** `dockbuild cache import DIR`: seed the engine's cache mounts from an earlier export in DIR. */
export async function importMounts(
  dir: string,
  options: MountTransferOptions,
): Promise<ImportResult & { dir: string }> {
  const { plan, helperImage, engine, warnings } = await prepareTransfer(options);
  const source = path.resolve(options.cwd ?? process.cwd(), dir);
  const result = await importCacheMounts(source, plan.mounts, { engine: engine.info, helperImage });
  return { ...result, warnings: [...warnings, ...result.warnings], dir: source };
}

/** The helper build a transfer would run, as a shell command with its Dockerfile, without running it. */
export async function describeMountTransfer(
  direction: "export" | "import",
  dir: string,
  options: MountTransferOptions,
): Promise<{ text: string; warnings: string[] }> {
  const { plan, helperImage, engine, warnings } = await prepareTransfer(options, true);
  const root = path.resolve(options.cwd ?? process.cwd(), dir);
  const [dockerfile, context, output] =
    direction === "export"
      ? [
          exportDockerfile(plan.mounts, helperImage),
          path.join(root, ".dockbuild-export-…/context"),
          path.join(root, ".dockbuild-export-…/out"),
        ]
      : [importDockerfile(plan.mounts, helperImage), root, path.join(root, ".dockbuild-import-…")];
  const command = mountBuildCommand(engine.info, { dockerfile, context, output, runId: "<unique per run>" });
  const env = Object.entries(command.env)
    .map(([k, v]) => `${k}=${v} `)
    .join("");
  return {
    text: `${env}${[command.file, ...command.args].join(" ")} <<'EOF'\n${dockerfile}EOF\n`,
    warnings,
  };
}

async function prepareTransfer(options: MountTransferOptions, dryRun = false): Promise<PreparedTransfer> {
  const loaded = await loadProject(options);
  const selection = selectServices(loaded.graph, loaded.config, {
    names: options.services ?? [],
    noDeps: options.noDeps === true,
  });
  const plan = planCacheMounts(mountsOfServices(selection.services, loaded.graph.nodes));
  const warnings = [
    ...loaded.warnings,
    ...plan.skipped.map((s) => `cache mount ${s.id} (${s.services.join(", ")}) is skipped: ${s.reason}`),
  ];
  const helperImage =
    options.helperImage ?? loaded.config.cache?.mountHelperImage ?? DEFAULT_MOUNT_HELPER_IMAGE;
  const engine = await openEngine({
    dockerBinary: loaded.config.docker,
    backend: loaded.config.backend,
    dryRun,
    env: options.env,
    onWarning: (w) => warnings.push(w),
  });
  return { plan, helperImage, engine, warnings };
}
