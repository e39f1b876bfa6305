import { describe, expect, it } from "vitest";
import { createTtyReporter } from "../../src/report/tty-reporter.js";
import type { Reporter } from "../../src/report/reporter.js";
import { captureStream, jobs, results, stripAnsi } from "./helpers.js";
import { replayRun } from "./replay.js";

/** Let listr2 react between hooks, as it does while the engine works. */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 2));

/** Write each hook the scheduler calls into the same stream, so the listr2 events can be read against them. */
function traced(reporter: Reporter, write: (text: string) => void): Reporter {
  return {
    ...reporter,
    jobStarted: (job) => {
      write(`> jobStarted ${job.key}\n`);
      reporter.jobStarted?.(job);
    },
    jobFinished: (result) => {
      write(`> jobFinished ${result.job.key} ${result.status}\n`);
      reporter.jobFinished?.(result);
    },
  };
}

interface TestRendererLine {
  event: string;
  data: unknown;
  task: { path: string[] };
}

describe("createTtyReporter", () => {
  it("keeps a job waiting until the scheduler starts it, then shows its step and how it ended", async () => {
    const out = captureStream();
    const err = captureStream();
    const reporter = createTtyReporter({ stream: out.stream, errorStream: err.stream, renderer: "test" });
    await replayRun(
      traced(reporter, (text) => out.stream.write(text)),
      tick,
    );
    const timeline = out
      .text()
      .trimEnd()
      .split("\n")
      .map((line) => {
        if (line.startsWith(">")) return line;
        const { event, data, task } = JSON.parse(line) as TestRendererLine;
        return `  ${task.path.join("/")}: ${event} ${JSON.stringify(data)}`;
      });
    expect(timeline).toMatchInlineSnapshot(`
      [
        "> jobStarted base",
        "  base: STATE "STARTED"",
        "  base: OUTPUT "[2/2] RUN make (1 cached)"",
        "> jobFinished base built",
        "  base: TITLE "base: built in 3.1s, 2/4 cached"",
        "  base: STATE "COMPLETED"",
        "> jobStarted api",
        "> jobStarted web",
        "  api (+worker) [production]: STATE "STARTED"",
        "  web [dev]: STATE "STARTED"",
        "  api (+worker) [production]: OUTPUT "[3/7] RUN npm ci (2 cached)"",
        "> jobFinished web failed",
        "> jobFinished docs skipped",
        "> jobStarted cli",
        "  web [dev]: STATE "FAILED"",
        "  docs: STATE "STARTED"",
        "  cli: STATE "STARTED"",
        "  docs: STATE "SKIPPED"",
        "  docs: MESSAGE {"skip":"docs: skipped: web failed"}",
        "> jobFinished cli up-to-date",
        "> jobFinished api built",
        "> jobFinished e2e cancelled",
        "  cli: STATE "SKIPPED"",
        "  cli: MESSAGE {"skip":"cli: up to date"}",
        "  api (+worker) [production]: TITLE "api (+worker) [production]: built in 12.3s, 5/7 cached"",
        "  api (+worker) [production]: STATE "COMPLETED"",
        "  e2e [test]: STATE "STARTED"",
        "  e2e [test]: STATE "SKIPPED"",
        "  e2e [test]: MESSAGE {"skip":"e2e [test]: cancelled"}",
      ]
    `);
    expect(err.text()).toContain('{"event":"MESSAGE","data":{"error":"web [dev]: failed after 3.0s"}');
    expect(err.text()).toContain("warning: service e2e: build.ssh is ignored by the docker backend\n");
  });

  it("prints a line per change with listr2's simple renderer", async () => {
    const out = captureStream();
    const err = captureStream();
    await replayRun(
      createTtyReporter({ stream: out.stream, errorStream: err.stream, renderer: "simple" }),
      tick,
    );
    expect(stripAnsi(out.text())).toMatchInlineSnapshot(`
      "❯ base
      › [2/2] RUN make (1 cached)
      ✔ base: built in 3.1s, 2/4 cached
      ❯ api (+worker) [production]
      ❯ web [dev]
      › [3/7] RUN npm ci (2 cached)
      ✖ web [dev] [FAILED: web [dev]: failed after 3.0s]
      ❯ docs
      ❯ cli
      ↓ docs [SKIPPED: docs: skipped: web failed]
      ↓ cli [SKIPPED: cli: up to date]
      ✔ api (+worker) [production]: built in 12.3s, 5/7 cached
      ❯ e2e [test]
      ↓ e2e [test] [SKIPPED: e2e [test]: cancelled]
      "
    `);
  });

  it("leaves the final tree on the terminal with the default renderer", async () => {
    const out = captureStream({ isTTY: true, columns: 100 });
    const err = captureStream();
    // listr2 picks its live renderer only when the process's stdout is a terminal.
    const wasTTY = process.stdout.isTTY;
    process.stdout.isTTY = true;
    try {
      await replayRun(createTtyReporter({ stream: out.stream, errorStream: err.stream }), tick);
    } finally {
      process.stdout.isTTY = wasTTY;
    }
    // The last frame is printed once more after the live area is cleared, just before the cursor comes back.
    const show = out.chunks.lastIndexOf("\u001b[?25h");
    expect(show).toBeGreaterThan(0);
    expect(stripAnsi(out.chunks[show - 1] ?? "")).toMatchInlineSnapshot(`
      "✔ base: built in 3.1s, 2/4 cached
      ✔ api (+worker) [production]: built in 12.3s, 5/7 cached
      ✖ web [dev]: failed after 3.0s
      ↓ docs: skipped: web failed
      ↓ cli: up to date
      ↓ e2e [test]: cancelled
      "
    `);
    const frames = stripAnsi(out.text());
    // While base builds, api waits for it in listr2's waiting state (◼), not with a spinner.
    expect(frames).toContain("✔ base: built in 3.1s, 2/4 cached\n◼ api (+worker) [production]\n");
    expect(frames).toContain("› [3/7] RUN npm ci (2 cached)");
  });

  it("does not take over Ctrl-C and still ends when a job was never reported finished", async () => {
    const out = captureStream();
    const before = process.listenerCount("SIGINT");
    const reporter = createTtyReporter({
      stream: out.stream,
      errorStream: captureStream().stream,
      renderer: "test",
    });
    reporter.runStarted?.([jobs.base, jobs.cli]);
    expect(process.listenerCount("SIGINT")).toBe(before);
    reporter.jobStarted?.(jobs.base);
    await tick();
    await reporter.runFinished?.([results[0]!], { interrupted: true, durationMs: 10 });
    const states = out
      .text()
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as TestRendererLine)
      .filter((l) => l.event === "STATE" || l.event === "MESSAGE")
      .map((l) => `${l.task.path.join("/")} ${JSON.stringify(l.data)}`);
    expect(states).toEqual([
      'base "STARTED"',
      'base "COMPLETED"',
      'cli "STARTED"',
      'cli "SKIPPED"',
      'cli {"skip":"cli: cancelled"}',
    ]);
  });
});

describe("createTtyReporter over builders", () => {
  it("names the builder a job runs on, and the next one when it runs again", async () => {
    const out = captureStream();
    const err = captureStream();
    const reporter = createTtyReporter({ stream: out.stream, errorStream: err.stream, renderer: "test" });
    const job = jobs.base;
    reporter.runStarted?.([job]);
    await tick();
    reporter.jobStarted?.(job, { builder: "b2", number: 1, upstream: new Map() });
    await tick();
    reporter.jobStarted?.(job, { builder: "b1", number: 2, upstream: new Map() });
    await tick();
    reporter.jobFinished?.({ ...(results[0] as (typeof results)[number]), builder: "b1" });
    await reporter.runFinished?.([], { interrupted: false, durationMs: 1 });
    const titles = out
      .text()
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as TestRendererLine)
      .filter((line) => line.event === "TITLE")
      .map((line) => line.data);
    expect(titles).toEqual(["base on b1", "base on b1: built in 3.1s, 2/4 cached"]);
  });
});
