import { DockbuildError } from "../errors.js";
import type { BuildRun } from "./build.js";
import { placementFailure } from "./fleet.js";

/**
 * The error a finished run ends with: interrupted, the engine gone, or the builds that failed; none for a run
 * that passed.
 */
export function runFailure(
  run: Pick<BuildRun, "results" | "interrupted" | "engineLost">,
): DockbuildError | undefined {
  if (run.interrupted) return new DockbuildError("INTERRUPTED", "interrupted: running builds were stopped");
  if (run.engineLost !== undefined) {
    const { endpoint, why } = run.engineLost;
    const stopped = run.results.filter((r) => r.status === "failed" || r.status === "cancelled");
    return new DockbuildError(
      "NO_ENGINE",
      `the Docker engine at ${endpoint} stopped answering during the run (${why}); ` +
        `${stopped.length} of ${run.results.length} builds did not finish`,
      {
        hint:
          "Start the engine again (as root: `setsid dockerd >dockerd.log 2>&1 &`, or `systemctl start docker`) " +
          "and run dockbuild again: what was built is up to date and is not built twice.",
      },
    );
  }
  const homeless = placementFailure(run.results);
  if (homeless !== undefined) return homeless;
  const failed = run.results.filter((r) => r.status === "failed").flatMap((r) => r.job.services);
  if (failed.length > 0) return new DockbuildError("BUILD_FAILED", `build failed: ${failed.join(", ")}`);
  return undefined;
}
