import type { BuildJob } from "../plan/types.js";
import type { Attempt, JobResult } from "../run/types.js";
import type { Reporter } from "./reporter.js";
import { describeResult, formatDuration, STATUS_TEXT } from "./format.js";

/** Where the lines go and how they are laid out. */
export interface PlainReporterOptions {
  write(text: string): void;
  /** GitHub Actions: fold each job's log into a `::group::` when it ends, annotate failures. */
  github?: boolean;
  /** Every line the engine prints, digests and `[internal]` steps included. */
  verbose?: boolean;
}

/** Logs for CI and pipes: every line says which service it is about, since builds run side by side. */
export function createPlainReporter(options: PlainReporterOptions): Reporter {
  const { write } = options;
  let width = 0;
  const filters = new Map<string, (line: string) => boolean>();
  const buffers = new Map<string, string[]>();
  const line = (job: BuildJob, text: string) => write(`${job.key.padEnd(width)} | ${text}\n`);
  const keep = (job: BuildJob, text: string) => {
    if (options.verbose) return true;
    let filter = filters.get(job.key);
    if (!filter) filters.set(job.key, (filter = engineNoiseFilter()));
    return filter(text);
  };

  const flushGroup = (job: BuildJob, result: JobResult) => {
    const lines = buffers.get(job.key) ?? [];
    buffers.delete(job.key);
    const title = `${job.services.join(", ")} (${STATUS_TEXT[result.status]}, ${formatDuration(result.durationMs)})`;
    write(`::group::${title}\n`);
    for (const l of lines) write(`${l}\n`);
    write(`${describeResult(result)}\n::endgroup::\n`);
  };

  return {
    runStarted: (jobs) => {
      width = Math.max(0, ...jobs.map((j) => j.key.length));
    },
    jobStarted: (job, attempt) => {
      if (options.github) buffers.set(job.key, []);
      line(job, startText(job, attempt));
    },
    jobLog: (job, text) => {
      if (!keep(job, text)) return;
      const buffer = options.github ? buffers.get(job.key) : undefined;
      if (buffer) buffer.push(text);
      else line(job, text);
    },
    jobFinished: (result) => {
      const { job } = result;
      filters.delete(job.key);
      if (options.github && buffers.has(job.key)) flushGroup(job, result);
      else line(job, describeResult(result));
      if (options.github && result.status === "failed") {
        const first = result.errorLines?.find((l) => /[^\s-]/.test(l)) ?? describeResult(result);
        write(
          `::error title=${escapeProperty(`${job.services.join(", ")} build failed`)}::${escapeData(first.trim())}\n`,
        );
      }
    },
    warning: (message) =>
      write(options.github ? `::warning::${escapeData(message)}\n` : `warning: ${message}\n`),
    runFinished: () => {
      if (!options.github) return;
      // A job the scheduler never finished (it always does): still show what it printed.
      for (const id of [...buffers.keys()]) {
        const lines = buffers.get(id) ?? [];
        buffers.delete(id);
        write(`::group::${id}\n${lines.map((l) => `${l}\n`).join("")}::endgroup::\n`);
      }
    },
  };
}

function startText(job: BuildJob, attempt?: Attempt): string {
  const others = job.services.filter((s) => s !== job.key);
  return [
    attempt === undefined
      ? "started"
      : attempt.builder === undefined
        ? "started (its result is in the registry)"
        : `started on ${attempt.builder}${attempt.number > 1 ? " (again: its first builder failed)" : ""}`,
    ...(job.target ? [`target ${job.target}`] : []),
    ...(others.length > 0 ? [`same build for ${others.join(", ")}`] : []),
  ].join(", ");
}

/**
 * Drops what BuildKit's plain progress prints for its own bookkeeping: blank lines, `#N sha256:…` digests and
 * the steps of `[internal]` vertices (loading the Dockerfile, the context), unless they report an error.
 */
export function engineNoiseFilter(): (line: string) => boolean {
  const internal = new Set<string>();
  return (line) => {
    if (line.trim() === "") return false;
    const vertex = /^#(\d+) (.*)$/.exec(line);
    if (!vertex) return true;
    const [, id = "", rest = ""] = vertex;
    if (/\bERROR\b/.test(rest)) return true;
    if (rest.startsWith("[internal]")) {
      internal.add(id);
      return false;
    }
    if (internal.has(id)) return false;
    return !/^sha256:[0-9a-f]{64}$/.test(rest);
  };
}

/** Workflow-command escaping (actions/toolkit `command.ts`): the message part. */
function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** Workflow-command escaping: a `key=value` property. */
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}
