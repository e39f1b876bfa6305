import { describe, expect, it } from "vitest";
import { createPlainReporter, engineNoiseFilter } from "../../src/report/plain-reporter.js";
import { failingLog, replayRun } from "./replay.js";

async function capture(options: { github?: boolean; verbose?: boolean }): Promise<string> {
  let out = "";
  await replayRun(createPlainReporter({ ...options, write: (text) => (out += text) }));
  return out;
}

describe("createPlainReporter", () => {
  it("streams every kept line live, prefixed with its service", async () => {
    expect(await capture({})).toMatchInlineSnapshot(`
      "warning: service e2e: build.ssh is ignored by the docker backend
      base | started
      base | #4 [1/2] FROM docker.io/library/busybox
      base | #5 [2/2] RUN make
      base | built in 3.1s, 2/4 cached
      api  | started, target production, same build for worker
      web  | started, target dev
      api  | #8 [3/7] RUN npm ci
      web  | #7 [1/4] FROM docker.io/dockbuild-backend-test/busybox:latest
      web  | #7 CACHED
      web  | #4 [2/4] RUN echo "step one works"
      api  | #8 0.512 added 120 packages
      web  | #4 0.128 step one works
      web  | #4 DONE 0.1s
      web  | #5 [3/4] RUN echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3
      web  | #5 0.292 compiling module a
      web  | #5 0.292 error: module b is broken
      web  | #5 ERROR: executor failed running [/bin/sh -c echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3]: exit code: 3
      web  | ------
      web  |  > [3/4] RUN echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3:
      web  | ------
      web  | executor failed running [/bin/sh -c echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3]: exit code: 3
      web  | failed after 3.0s
      docs | skipped: web failed
      cli  | started
      cli  | up to date
      api  | built in 12.3s, 5/7 cached
      e2e  | cancelled
      "
    `);
  });

  it("on GitHub Actions folds each job's log into a group when it ends and annotates failures", async () => {
    expect(await capture({ github: true })).toMatchInlineSnapshot(`
      "::warning::service e2e: build.ssh is ignored by the docker backend
      base | started
      ::group::base (built, 3.1s)
      #4 [1/2] FROM docker.io/library/busybox
      #5 [2/2] RUN make
      built in 3.1s, 2/4 cached
      ::endgroup::
      api  | started, target production, same build for worker
      web  | started, target dev
      ::group::web (failed, 3.0s)
      #7 [1/4] FROM docker.io/dockbuild-backend-test/busybox:latest
      #7 CACHED
      #4 [2/4] RUN echo "step one works"
      #4 0.128 step one works
      #4 DONE 0.1s
      #5 [3/4] RUN echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3
      #5 0.292 compiling module a
      #5 0.292 error: module b is broken
      #5 ERROR: executor failed running [/bin/sh -c echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3]: exit code: 3
      ------
       > [3/4] RUN echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3:
      ------
      executor failed running [/bin/sh -c echo "compiling module a" && echo "error: module b is broken" >&2 && exit 3]: exit code: 3
      failed after 3.0s
      ::endgroup::
      ::error title=web build failed::> [3/4] RUN npm run build:
      docs | skipped: web failed
      cli  | started
      ::group::cli (up to date, 0.0s)
      up to date
      ::endgroup::
      ::group::api, worker (built, 12.3s)
      #8 [3/7] RUN npm ci
      #8 0.512 added 120 packages
      built in 12.3s, 5/7 cached
      ::endgroup::
      e2e  | cancelled
      "
    `);
  });

  it("keeps the engine's bookkeeping when verbose", async () => {
    const out = await capture({ verbose: true });
    expect(out).toContain("web  | #1 [internal] load build definition from Dockerfile\n");
    expect(out).toContain(
      "base | #4 sha256:2b94232e9e2056046202086e404e3a5851c05a8b362af01215d531e580e5fa50\n",
    );
  });

  it("escapes workflow-command data so an error line cannot end the annotation early", async () => {
    let out = "";
    const reporter = createPlainReporter({ github: true, write: (t) => (out += t) });
    const { jobs } = await import("./helpers.js");
    reporter.jobFinished?.({
      job: jobs.api,
      status: "failed",
      durationMs: 1000,
      steps: 0,
      cachedSteps: 0,
      errorLines: ["", "  100% broken\r\nreally"],
    });
    expect(out.trimEnd().split("\n").at(-1)).toBe(
      "::error title=api%2C worker build failed::100%25 broken%0D%0Areally",
    );
  });
});

describe("engineNoiseFilter", () => {
  it("drops digests, blank lines and [internal] steps but keeps their errors", () => {
    const keep = engineNoiseFilter();
    const kept = [...failingLog, "#1 ERROR: failed to read dockerfile"].filter(keep);
    expect(kept.some((l) => /sha256:[0-9a-f]{64}$/.test(l) && /^#\d+ sha256/.test(l))).toBe(false);
    expect(kept).not.toContain("");
    expect(kept).not.toContain("#1 transferring dockerfile: 210B done");
    expect(kept).toContain("#1 ERROR: failed to read dockerfile");
    expect(kept).toContain("#5 0.292 error: module b is broken");
  });
});
