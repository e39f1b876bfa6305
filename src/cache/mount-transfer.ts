import type { InvocationEngine } from "../backends/command.js";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { createProgressParser } from "../backends/progress.js";
import { DockbuildError } from "../errors.js";
import { runCommand } from "../exec/index.js";
import { lastLines } from "../util/last-lines.js";
import { exportDockerfile, importDockerfile, mountBuildCommand, SEEDED_FILE } from "./mount-build.js";
import {
  countFiles,
  MANIFEST_FILE,
  mergeManifest,
  readManifest,
  writeManifest,
  type ManifestEntry,
} from "./mount-manifest.js";
import type { PlannedMount } from "./mount-plan.js";

export interface MountTransferOptions {
  engine: InvocationEngine;
  helperImage: string;
  /** Each line the helper build prints. */
  onLine?(line: string): void;
  now?: () => Date;
}

export interface ExportResult {
  exported: ManifestEntry[];
  /** Where the manifest was written. */
  manifest: string;
}

export interface ImportResult {
  imported: PlannedMount[];
  /** Mounts with no folder in the directory (never exported there): left as the engine has them. */
  missing: PlannedMount[];
  /** The manifest could not be read (the folders were used anyway). */
  warnings: string[];
}

/**
 * Copy every mount's contents out of the engine into `dir/<folder>` with one helper build, replace the old
 * folders, and write the manifest. The build writes into a fresh folder inside `dir`, so that a failed export
 * leaves the previous one whole.
 */
export async function exportCacheMounts(
  dir: string,
  mounts: readonly PlannedMount[],
  options: MountTransferOptions,
): Promise<ExportResult> {
  const root = path.resolve(dir);
  await mkdir(root, { recursive: true });
  const work = path.join(root, `.dockbuild-export-${randomBytes(4).toString("hex")}`);
  const context = path.join(work, "context");
  const output = path.join(work, "out");
  try {
    const exported: ManifestEntry[] = [];
    if (mounts.length > 0) {
      await mkdir(context, { recursive: true });
      await runHelperBuild("export", exportDockerfile(mounts, options.helperImage), context, output, options);
      for (const mount of mounts) {
        const from = path.join(output, mount.folder);
        const to = path.join(root, mount.folder);
        if (!existsSync(from)) {
          throw new DockbuildError(
            "BUILD_FAILED",
            `cache export: the engine wrote no folder for mount ${mount.id}`,
          );
        }
        await rm(to, { recursive: true, force: true });
        await rename(from, to);
        const { files, bytes } = await countFiles(to);
        const { id, target, sharing, folder, services } = mount;
        exported.push({ id, target, sharing, folder, services, files, bytes });
      }
    }
    const previous = await readManifest(root);
    const manifest = mergeManifest(
      previous.manifest,
      exported,
      (folder) => existsSync(path.join(root, folder)),
      (options.now ?? (() => new Date()))().toISOString(),
    );
    await writeManifest(root, manifest);
    return { exported, manifest: path.join(root, MANIFEST_FILE) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Seed every mount that has a folder in `dir` with one helper build whose context is `dir`; what the mount
 * held already stays unless the folder has a file of the same name.
 */
export async function importCacheMounts(
  dir: string,
  mounts: readonly PlannedMount[],
  options: MountTransferOptions,
): Promise<ImportResult> {
  const root = path.resolve(dir);
  const warnings: string[] = [];
  const { error } = await readManifest(root);
  if (error !== undefined)
    warnings.push(`cache import: the manifest cannot be read (${error}); using the folders`);
  const present: PlannedMount[] = [];
  const missing: PlannedMount[] = [];
  for (const mount of mounts) {
    const folder = await stat(path.join(root, mount.folder)).catch(() => undefined);
    (folder?.isDirectory() ? present : missing).push(mount);
  }
  if (present.length === 0) return { imported: [], missing, warnings };

  const output = path.join(root, `.dockbuild-import-${randomBytes(4).toString("hex")}`);
  try {
    await runHelperBuild("import", importDockerfile(present, options.helperImage), root, output, options);
    const seeded = (await readFile(path.join(output, SEEDED_FILE), "utf8")).split("\n").filter(Boolean);
    const notSeeded = present.filter((m) => !seeded.includes(m.folder));
    if (notSeeded.length > 0) {
      throw new DockbuildError(
        "BUILD_FAILED",
        `cache import: the helper build did not seed ${notSeeded.map((m) => m.id).join(", ")}`,
      );
    }
  } finally {
    await rm(output, { recursive: true, force: true });
  }
  return { imported: present, missing, warnings };
}

async function runHelperBuild(
  what: "export" | "import",
  dockerfile: string,
  context: string,
  output: string,
  options: MountTransferOptions,
): Promise<void> {
  const runId = `${Date.now()}-${randomBytes(6).toString("hex")}`;
  const command = mountBuildCommand(options.engine, { dockerfile, context, output, runId });
  const parser = createProgressParser();
  const result = await runCommand(command.file, command.args, {
    env: command.env,
    input: command.stdin,
    onLine: (line) => {
      parser.push(line);
      options.onLine?.(line);
    },
  });
  if (!result.failed) return;
  const errorLines =
    result.spawnError !== undefined
      ? [`${command.file} could not be started: ${result.spawnError}`]
      : parser.summary().errorLines.length > 0
        ? parser.summary().errorLines
        : lastLines(result.all);
  throw new DockbuildError(
    "BUILD_FAILED",
    `cache ${what} failed: the helper build (${[command.file, ...command.args].join(" ")}) ended with:\n` +
      errorLines.map((l) => `  ${l}`).join("\n"),
    errorLines.some((l) => l.includes(options.helperImage))
      ? {
          hint:
            `the helper image ${options.helperImage} must be one the engine has or can pull, with a shell and cp ` +
            "(config key cache.mountHelperImage, or --helper-image)",
        }
      : {},
  );
}
