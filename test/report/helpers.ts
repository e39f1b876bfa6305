import type { JobResult } from "../../src/run/types.js";
import { makeJob } from "../helpers/build-job.js";

export const jobs = {
  base: makeJob("base"),
  api: makeJob("api", {
    services: ["api", "worker"],
    target: "production",
    tags: ["acme/api:dev", "acme/worker:dev"],
    dependsOn: ["base"],
    secrets: [
      { id: "npmrc", file: "/home/dev/.npmrc" },
      { id: "token", environment: "NPM_TOKEN" },
    ],
  }),
  web: makeJob("web", { target: "dev", dependsOn: ["base"] }),
  docs: makeJob("docs", { dependsOn: ["web"] }),
  cli: makeJob("cli"),
  e2e: makeJob("e2e", { target: "test" }),
};

/** One of each status: a plain build, a merged build, a failure, its skipped dependent, up to date, cancelled. */
export const results: JobResult[] = [
  {
    job: jobs.base,
    status: "built",
    durationMs: 3100,
    imageId: "sha256:aaa",
    sizeBytes: 4_200_000,
    steps: 4,
    cachedSteps: 2,
  },
  {
    job: jobs.api,
    status: "built",
    durationMs: 12_345,
    imageId: "sha256:bbb",
    sizeBytes: 12_400_000,
    steps: 7,
    cachedSteps: 5,
  },
  {
    job: jobs.web,
    status: "failed",
    durationMs: 2950,
    steps: 3,
    cachedSteps: 1,
    command: "DOCKER_BUILDKIT=1 docker build --target dev -t acme/web:dev /repo/web",
    errorLines: [
      " > [3/4] RUN npm run build:",
      "------",
      "error: module b is broken",
      "executor failed running [/bin/sh -c npm run build]: exit code: 3",
    ],
  },
  { job: jobs.docs, status: "skipped", durationMs: 0, steps: 0, cachedSteps: 0, reason: "web failed" },
  {
    job: jobs.cli,
    status: "up-to-date",
    durationMs: 40,
    imageId: "sha256:ccc",
    sizeBytes: 950,
    steps: 0,
    cachedSteps: 0,
  },
  { job: jobs.e2e, status: "cancelled", durationMs: 0, steps: 0, cachedSteps: 0 },
];

/** A NodeJS.WriteStream stand-in that records what is written. */
export function captureStream(options: { isTTY?: boolean; columns?: number } = {}) {
  const chunks: string[] = [];
  const stream = {
    isTTY: options.isTTY ?? false,
    columns: options.columns ?? 100,
    rows: 40,
    write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      callback?.();
      return true;
    },
    on: () => stream,
    once: () => stream,
    off: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, chunks, text: () => chunks.join("") };
}

/** Remove ANSI escapes (colors, cursor moves) the way a snapshot wants them gone. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "");
}
