import { runCommand } from "../exec/index.js";
import type { EngineInfo } from "../backends/types.js";
import type { BuildJob } from "../plan/types.js";
import type { ExecuteContext, JobOutcome } from "../run/scheduler.js";

/** One `docker push` as a process. */
export interface PushCommand {
  tag: string;
  file: string;
  args: string[];
}

const LAST_LINES = 10;

/**
 * The pushes that publish a job's image: one `docker push TAG` per tag, through the client the backend builds
 * with (so its DOCKER_HOST and credentials). Both backends leave the image in the engine's image store (buildx
 * with `--load`), which is what `docker push` reads. A job that loads no image (`--stage` without `--load`)
 * has nothing to push.
 */
export function pushCommands(
  job: Pick<BuildJob, "tags" | "load">,
  engine: Pick<EngineInfo, "dockerBinary">,
  tags: readonly string[] = job.tags,
): PushCommand[] {
  if (!job.load) return [];
  return tags.map((tag) => ({ tag, file: engine.dockerBinary, args: ["push", tag] }));
}

/**
 * After a successful build (or an up-to-date image), push every tag (or the ones given), in order; the first failing push fails
 * the job with the client's last lines. Pushing is part of the job, so the summary and the exit code say so.
 */
export async function pushJobImages(
  job: BuildJob,
  outcome: JobOutcome,
  engine: Pick<EngineInfo, "dockerBinary">,
  context: Pick<ExecuteContext, "signal" | "onLine">,
  tags: readonly string[] = job.tags,
): Promise<JobOutcome> {
  if (outcome.status !== "built" && outcome.status !== "up-to-date") return outcome;
  for (const push of pushCommands(job, engine, tags)) {
    context.onLine(`pushing ${push.tag}`);
    const result = await runCommand(push.file, push.args, {
      signal: context.signal,
      detached: true,
      onLine: (line) => context.onLine(line),
    });
    const command = [push.file, ...push.args].join(" ");
    if (result.isCanceled || context.signal.aborted) return { ...outcome, status: "cancelled", command };
    if (result.failed) {
      const why =
        result.spawnError !== undefined
          ? [`${push.file} could not be started: ${result.spawnError}`]
          : result.all
              .split(/\r?\n/)
              .filter((l) => l.trim() !== "")
              .slice(-LAST_LINES);
      return {
        ...outcome,
        status: "failed",
        command,
        errorLines: [`the image was built, but pushing ${push.tag} failed:`, ...why],
      };
    }
  }
  return outcome;
}
