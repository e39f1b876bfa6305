import { readFileSync } from "node:fs";
import type { Reporter } from "../../src/report/reporter.js";
import { jobs, results } from "./helpers.js";

/** Real engine output of a failing build (captured from BuildKit in Docker 20.10). */
export const failingLog = readFileSync(
  new URL("../fixtures/engine/build-failing.txt", import.meta.url),
  "utf8",
)
  .replace(/\n$/, "")
  .split("\n");

const [base, api, web, docs, cli, e2e] = results as [
  (typeof results)[0],
  (typeof results)[0],
  (typeof results)[0],
  (typeof results)[0],
  (typeof results)[0],
  (typeof results)[0],
];

/**
 * The hooks a scheduler calls for a keep-going run of the fixture results, with the jobs' output interleaved:
 * base builds, then api and web side by side (web fails), docs is skipped, cli is up to date, e2e cancelled.
 */
export async function replayRun(
  reporter: Reporter,
  tick: () => Promise<void> = async () => {},
): Promise<void> {
  reporter.runStarted?.(Object.values(jobs));
  reporter.warning?.("service e2e: build.ssh is ignored by the docker backend");
  reporter.jobStarted?.(jobs.base);
  await tick();
  reporter.jobLog?.(jobs.base, "#4 [1/2] FROM docker.io/library/busybox");
  reporter.jobLog?.(jobs.base, "#4 sha256:2b94232e9e2056046202086e404e3a5851c05a8b362af01215d531e580e5fa50");
  reporter.jobStep?.(jobs.base, { name: "[2/2] RUN make", done: 1, cached: 1, total: 2 });
  reporter.jobLog?.(jobs.base, "#5 [2/2] RUN make");
  reporter.jobFinished?.(base);
  await tick();
  reporter.jobStarted?.(jobs.api);
  reporter.jobStarted?.(jobs.web);
  await tick();
  reporter.jobStep?.(jobs.api, { name: "[3/7] RUN npm ci", done: 2, cached: 2, total: 7 });
  reporter.jobLog?.(jobs.api, "#8 [3/7] RUN npm ci");
  for (const line of failingLog.slice(0, 20)) reporter.jobLog?.(jobs.web, line);
  reporter.jobLog?.(jobs.api, "#8 0.512 added 120 packages");
  for (const line of failingLog.slice(20)) reporter.jobLog?.(jobs.web, line);
  await tick();
  reporter.jobFinished?.(web);
  reporter.jobFinished?.(docs);
  reporter.jobStarted?.(jobs.cli);
  await tick();
  reporter.jobFinished?.(cli);
  reporter.jobFinished?.(api);
  reporter.jobFinished?.(e2e);
  await tick();
  await reporter.runFinished?.(results, { interrupted: false, durationMs: 38_210 });
}
