import type { Engine, ImageDetails, StepProgress } from "../backends/index.js";
import type { BuildJob } from "../plan/index.js";
import type { JobOutcome } from "../run/types.js";
import { isUpToDate } from "./up-to-date.js";

/** What running one job reports, and what it needs besides the job. */
export interface JobContext {
  signal: AbortSignal;
  onLine(line: string): void;
  onStep(step: StepProgress): void;
  onWarning(message: string): void;
  /** What the engine said of every tag before the run (the up-to-date decision reads it). */
  images: ReadonlyMap<string, ImageDetails>;
  /** Build even when the engine holds an image of the same inputs. */
  force: boolean;
  /** The project's environment, where secrets taken from variables are found. */
  environment: Readonly<Record<string, string>>;
}

/**
 * One job of a run: up to date when the engine holds an image of the same inputs, else built; then its
 * tags pushed. Pushing is part of the job, so a failed push fails it.
 */
export async function runJob(
  job: BuildJob,
  engine: Pick<Engine, "build" | "push">,
  context: JobContext,
): Promise<JobOutcome> {
  let outcome: JobOutcome;
  if (!context.force && isUpToDate(job, context.images)) outcome = { status: "up-to-date" };
  else {
    const built = await engine.build(job, context, context.environment);
    outcome = {
      status: built.cancelled ? "cancelled" : built.ok ? "built" : "failed",
      steps: built.steps,
      cachedSteps: built.cachedSteps,
      errorLines: built.errorLines,
      command: built.command,
      ...(built.imageId !== undefined ? { imageId: built.imageId } : {}),
    };
  }
  return pushJobImages(job, outcome, engine, context);
}

/** After a successful build (or an up-to-date image), push the job's tags; the push's failure fails the job. */
export async function pushJobImages(
  job: BuildJob,
  outcome: JobOutcome,
  engine: Pick<Engine, "push">,
  context: Pick<JobContext, "signal" | "onLine">,
): Promise<JobOutcome> {
  if (outcome.status !== "built" && outcome.status !== "up-to-date") return outcome;
  const pushed = await engine.push(job, context);
  switch (pushed.status) {
    case "pushed":
      return outcome;
    case "cancelled":
      return { ...outcome, status: "cancelled", command: pushed.command };
    case "failed":
      return { ...outcome, status: "failed", command: pushed.command, errorLines: pushed.errorLines };
  }
}
