// dockbuild's Node API: the same core the command line runs. Load a project once, plan it, build it.
export {
  build,
  defaultConcurrency,
  describeBuild,
  loadProject,
  planBuild,
  runFailure,
  type BuildOptions,
  type BuildRun,
  type DryRun,
  type LoadedProject,
  type PlanRequest,
  type ProjectOptions,
  type SelectRequest,
} from "./session/index.js";
export type { BuildJob, BuildPlan, JobId, PlannedService } from "./plan/index.js";
export type { JobResult, JobStatus } from "./run/types.js";
export type { Reporter } from "./report/reporter.js";
export type { StepProgress } from "./backends/types.js";
export { DockbuildError, InputError, type ErrorCode, type Problem } from "./errors.js";
