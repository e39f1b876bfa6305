import type { BuildJob } from "../plan/types.js";
import type { JobResult, JobStatus } from "../run/types.js";

/** One way to show elapsed time everywhere: `0.4s`, `12.3s`, `2m 05s`, `1h 03m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m ${String(whole % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

export { formatBytes } from "../util/format-bytes.js";

/** A job as a person names it: its primary service, and the services sharing the build (`api (+worker)`). */
export function jobName(job: BuildJob): string {
  const others = job.services.filter((s) => s !== job.key);
  return others.length > 0 ? `${job.key} (+${others.join(", ")})` : job.key;
}

/** `cached/steps`, or `-` when the engine reported no steps. */
export function formatCached(steps: number, cachedSteps: number): string {
  return steps > 0 ? `${cachedSteps}/${steps}` : "-";
}

/** How a status reads in a sentence and in the summary's STATUS column. */
export const STATUS_TEXT: Record<JobStatus, string> = {
  pending: "pending",
  running: "running",
  built: "built",
  "up-to-date": "up to date",
  failed: "failed",
  skipped: "skipped",
  cancelled: "cancelled",
};

/** The few words every reporter ends a job with: `built in 12.3s, 5/7 cached`, `skipped: base failed`. */
export function describeResult(result: JobResult): string {
  const time = formatDuration(result.durationMs);
  switch (result.status) {
    case "built":
      return result.steps > 0
        ? `built in ${time}, ${formatCached(result.steps, result.cachedSteps)} cached`
        : `built in ${time}`;
    case "failed":
      return `failed after ${time}`;
    case "skipped":
      return result.reason ? `skipped: ${result.reason}` : "skipped";
    default:
      return STATUS_TEXT[result.status];
  }
}

/** One service's view of a result: a merged build is one result but one row per service it produces. */
export interface ServiceResult {
  service: string;
  result: JobResult;
  /** Set for every service of a merged build but the primary one. */
  sameBuildAs?: string;
}

/** Spread results over the services they built, primary first, in the order of the results. */
export function byService(results: readonly JobResult[]): ServiceResult[] {
  return results.flatMap((result) => {
    const services = result.job.services.length > 0 ? result.job.services : [result.job.key];
    return services.map((service) =>
      service === result.job.key ? { service, result } : { service, result, sameBuildAs: result.job.key },
    );
  });
}

/** Whether a result comes from a run over builders or a registry, where the builder it ran on is worth saying. */
export function overBuilders(result: JobResult): boolean {
  return result.job.upstreamUses !== undefined;
}
