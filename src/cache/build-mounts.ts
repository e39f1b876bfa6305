import type { InvocationEngine } from "../backends/command.js";
import { existsSync } from "node:fs";
import type { BuildJob } from "../plan/types.js";
import { DEFAULT_MOUNT_HELPER_IMAGE } from "./mount-build.js";
import { mountsOfJobs, planCacheMounts } from "./mount-plan.js";
import { exportCacheMounts, importCacheMounts } from "./mount-transfer.js";

export interface BuildCacheMounts {
  /** Save the mounts back to the directory; a failure is a warning (the builds are done). */
  save(): Promise<void>;
}

/**
 * `--cache-mounts DIR` on a build: seed the cache mounts the jobs use from DIR before they run, and save them
 * to DIR afterwards. Neither step fails the run: without the saved contents a build only runs slower.
 */
export async function restoreBuildCacheMounts(options: {
  dir: string;
  jobs: readonly BuildJob[];
  engine: InvocationEngine;
  helperImage?: string;
  warn(message: string): void;
}): Promise<BuildCacheMounts> {
  const plan = planCacheMounts(mountsOfJobs(options.jobs));
  for (const s of plan.skipped)
    options.warn(`cache mount ${s.id} (${s.services.join(", ")}) is not saved: ${s.reason}`);
  const transfer = { engine: options.engine, helperImage: options.helperImage ?? DEFAULT_MOUNT_HELPER_IMAGE };
  if (plan.mounts.length > 0 && existsSync(options.dir)) {
    try {
      const result = await importCacheMounts(options.dir, plan.mounts, transfer);
      for (const w of result.warnings) options.warn(w);
      if (result.missing.length > 0) {
        options.warn(
          `cache mounts not in ${options.dir} (they start as the engine has them): ${result.missing.map((m) => m.id).join(", ")}`,
        );
      }
    } catch (error) {
      options.warn(`${(error as Error).message}\n(the builds use the engine's cache mounts as they are)`);
    }
  }
  return {
    async save() {
      if (plan.mounts.length === 0) return;
      try {
        await exportCacheMounts(options.dir, plan.mounts, transfer);
      } catch (error) {
        options.warn(`${(error as Error).message}\n(the cache mounts were not saved to ${options.dir})`);
      }
    },
  };
}
