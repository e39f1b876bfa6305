import { formatBytes } from "../../report/format.js";
import {
  describeMountTransfer,
  exportMounts,
  importMounts,
  type MountTransferOptions,
} from "../../session/index.js";
import { globalToProjectOptions, type GlobalOptions } from "../global-options.js";
import { printWarnings } from "../print-warnings.js";

/** The flags of `dockbuild cache export|import`. */
export interface CacheCommandFlags extends GlobalOptions {
  helperImage?: string;
  deps: boolean;
  dryRun?: boolean;
}

/** `dockbuild cache export DIR [SERVICE...]`: save the selected services' cache mounts to DIR. */
export async function runCacheExportCommand(
  dir: string,
  names: string[],
  flags: CacheCommandFlags,
): Promise<void> {
  const options = toOptions(names, flags);
  if (flags.dryRun) return printDryRun(await describeMountTransfer("export", dir, options));
  const result = await exportMounts(dir, options);
  printWarnings(result.warnings);
  const lines = result.exported.map(
    (m) =>
      `  ${m.id}  →  ${m.folder}  ${m.files} file${m.files === 1 ? "" : "s"}, ${formatBytes(m.bytes)}  (${m.services.join(", ")})`,
  );
  process.stdout.write(
    `exported ${result.exported.length} cache mount${result.exported.length === 1 ? "" : "s"} to ${result.dir}` +
      `${lines.length > 0 ? ":" : ""}\n${lines.map((l) => `${l}\n`).join("")}`,
  );
}

/** `dockbuild cache import DIR [SERVICE...]`: seed the engine's cache mounts from an earlier export. */
export async function runCacheImportCommand(
  dir: string,
  names: string[],
  flags: CacheCommandFlags,
): Promise<void> {
  const options = toOptions(names, flags);
  if (flags.dryRun) return printDryRun(await describeMountTransfer("import", dir, options));
  const result = await importMounts(dir, options);
  printWarnings(result.warnings);
  for (const m of result.missing) {
    process.stderr.write(
      `warning: cache mount ${m.id} (${m.services.join(", ")}) has no folder in ${result.dir}; left as is\n`,
    );
  }
  process.stdout.write(
    `imported ${result.imported.length} cache mount${result.imported.length === 1 ? "" : "s"} from ${result.dir}` +
      `${result.imported.length > 0 ? ":" : ""}\n${result.imported.map((m) => `  ${m.id}  ←  ${m.folder}\n`).join("")}`,
  );
}

function toOptions(names: string[], flags: CacheCommandFlags): MountTransferOptions {
  return {
    ...globalToProjectOptions(flags),
    services: names,
    noDeps: !flags.deps,
    ...(flags.helperImage !== undefined ? { helperImage: flags.helperImage } : {}),
  };
}

function printDryRun(dry: { text: string; warnings: string[] }): void {
  printWarnings(dry.warnings);
  process.stdout.write(dry.text);
}
