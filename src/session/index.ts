export { build, describeBuild, type BuildOptions, type BuildRun, type DryRun } from "./build.js";
export { runFailure } from "./run-failure.js";
export { loadProject, type LoadedProject, type ProjectOptions } from "./load-project.js";
export { planBuild, type PlanRequest } from "./plan.js";
export { planMatrix, type Matrix } from "./matrix.js";
export { selectForRequest, type SelectRequest } from "./select.js";
export {
  describeMountTransfer,
  exportMounts,
  importMounts,
  type MountTransferOptions,
} from "./cache-mounts.js";
export { defaultConcurrency } from "./concurrency.js";
