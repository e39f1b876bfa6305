import type { StepProgress } from "../backends/types.js";
import type { BuildJob } from "../plan/index.js";
import type { Reporter } from "../report/reporter.js";

/** Where a running job's output goes, on one engine or on several builders alike. */
export interface JobOutputHooks {
  onLine(line: string): void;
  onStep(step: StepProgress): void;
  onWarning(message: string): void;
}

/**
 * A job's lines, steps and warnings handed to the reporter; each line also tells the time limits that the
 * job is not silent (`onOutput`, from `runWithinLimits`).
 */
export function reportJobOutput(
  job: BuildJob,
  reporter: Required<Reporter>,
  onOutput: () => void,
): JobOutputHooks {
  return {
    onLine: (line) => {
      onOutput();
      reporter.jobLog(job, line);
    },
    onStep: (step) => reporter.jobStep(job, step),
    onWarning: (message) => reporter.warning(message),
  };
}
