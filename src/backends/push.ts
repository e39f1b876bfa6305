import { runCommand } from "../exec/index.js";
import type { BuildJob } from "../plan/types.js";
import { lastLines } from "../util/last-lines.js";
import type { EngineInfo } from "./types.js";

/** One `docker push` as a process. */
export interface PushCommand {
  tag: string;
  file: string;
  args: string[];
}

/** How pushing a job's tags ended; `failed` carries the client's last lines. */
export type PushOutcome =
  /** every tag was pushed (or there was nothing to push) */
  | { status: "pushed" }
  /** a push was stopped through the signal */
  | { status: "cancelled"; command: string }
  /** a push failed; later tags were not tried */
  | { status: "failed"; command: string; errorLines: string[] };

/**
 * The pushes that publish a job's image: one `docker push TAG` per tag of `job.push`, through the client the
 * backend builds with (so its DOCKER_HOST and credentials). Both backends leave the image in the engine's
 * image store (buildx with `--load`), which is what `docker push` reads. A job that loads no image
 * (`--stage` without `--load`) has nothing to push.
 */
export function pushCommands(
  job: Pick<BuildJob, "push" | "load">,
  engine: Pick<EngineInfo, "dockerBinary" | "clientArgs">,
): PushCommand[] {
  if (!job.load) return [];
  const client = engine.clientArgs ?? [];
  return job.push.map((tag) => ({ tag, file: engine.dockerBinary, args: [...client, "push", tag] }));
}

/** Push every tag of `job.push`, in order; the first failing push ends it with the client's last lines. */
export async function pushTags(
  job: Pick<BuildJob, "push" | "load">,
  engine: Pick<EngineInfo, "dockerBinary" | "clientArgs">,
  options: { signal: AbortSignal; onLine(line: string): void },
): Promise<PushOutcome> {
  for (const push of pushCommands(job, engine)) {
    options.onLine(`pushing ${push.tag}`);
    const result = await runCommand(push.file, push.args, {
      signal: options.signal,
      detached: true,
      onLine: (line) => options.onLine(line),
    });
    const command = [push.file, ...push.args].join(" ");
    if (result.isCanceled || options.signal.aborted) return { status: "cancelled", command };
    if (result.failed) {
      const why =
        result.spawnError !== undefined
          ? [`${push.file} could not be started: ${result.spawnError}`]
          : lastLines(result.all);
      return {
        status: "failed",
        command,
        errorLines: [`the image was built, but pushing ${push.tag} failed:`, ...why],
      };
    }
  }
  return { status: "pushed" };
}
