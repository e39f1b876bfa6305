import type { BuildJob } from "../plan/types.js";
import type { JobResult, JobStatus } from "../run/types.js";
import { byService, overBuilders } from "./format.js";

/** `--metadata-file` is written atomically: a reader sees the old file or the whole new one. */
export { writeJsonAtomic as writeMetadataFile } from "../util/write-json-atomic.js";

/** One service's entry in `--metadata-file` (DESIGN.md, Contracts). */
export interface ServiceMetadata {
  status: JobStatus;
  imageId: string | null;
  tags: string[];
  durationMs: number;
  sizeBytes: number | null;
  target: string | null;
  /** For a failure: the last lines of the engine's error. */
  error?: string[];
  /** For a skip: why (the dependency that failed). */
  reason?: string;
  /** The service whose identical build produced this image. */
  sameBuildAs?: string;
  /** Over builders: the one it ran on; null when it ran on none (its result was found in the registry). */
  builder?: string | null;
  /** The builder it first ran on, which failed while it ran. */
  retriedFrom?: string;
  /** With a registry: where its result can be read back, `<registry>/<service>:ih-<hash>@sha256:…`. */
  registryImage?: string | null;
}

/**
 * Metadata per service, built from an allow-list of fields so that nothing else of a job (a secret's file or
 * variable above all: only secret ids may appear anywhere) can leak into the file.
 */
export function buildMetadata(results: readonly JobResult[]): Record<string, ServiceMetadata> {
  const out: Record<string, ServiceMetadata> = {};
  for (const { service, result, sameBuildAs } of byService(results)) {
    const { job } = result;
    const entry: ServiceMetadata = {
      status: result.status,
      imageId: result.imageId ?? null,
      tags: [...job.tags],
      durationMs: result.durationMs,
      sizeBytes: result.sizeBytes ?? null,
      target: job.target ?? null,
    };
    if (result.status === "failed")
      entry.error = (result.errorLines ?? []).map((l) => hideSecretSources(job, l));
    if (result.reason !== undefined) entry.reason = result.reason;
    if (sameBuildAs !== undefined) entry.sameBuildAs = sameBuildAs;
    if (overBuilders(result)) {
      entry.builder = result.builder ?? null;
      if (result.retriedFrom !== undefined) entry.retriedFrom = result.retriedFrom;
      entry.registryImage = result.registryImage ?? null;
    }
    out[service] = entry;
  }
  return out;
}

/** Engine errors may quote a secret's source file or variable; show the secret's id instead. */
function hideSecretSources(job: BuildJob, line: string): string {
  let out = line;
  for (const secret of job.secrets) {
    if (secret.file) out = out.replaceAll(secret.file, `<secret ${secret.id}>`);
    if (secret.environment && /^\w+$/.test(secret.environment)) {
      out = out.replace(new RegExp(`\\b${secret.environment}\\b`, "g"), `<secret ${secret.id}>`);
    } else if (secret.environment) {
      out = out.replaceAll(secret.environment, `<secret ${secret.id}>`);
    }
  }
  return out;
}
