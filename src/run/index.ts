// The scheduler on its own: jobs and outcomes, no Docker. The benchmark's simulation replays it with a
// simulated clock (dist/run.js); it is not part of the package's API.
export { runJobs, type BuilderPool, type RunJobsOptions } from "./scheduler.js";
export type { Attempt, JobOutcome, JobResult, JobStatus } from "./types.js";
export { affinityPlacement, fittingBuilders, leastBusy, type PlacementPolicy } from "../place/index.js";
