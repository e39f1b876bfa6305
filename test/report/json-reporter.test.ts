import { describe, expect, it } from "vitest";
import { createJsonReporter } from "../../src/report/json-reporter.js";
import { makeJob } from "../helpers/build-job.js";
import { replayRun } from "./replay.js";

describe("createJsonReporter", () => {
  it("writes one JSON object per line for every hook", async () => {
    let out = "";
    let clock = 1_000;
    await replayRun(createJsonReporter({ write: (text) => (out += text), now: () => (clock += 10) }));
    expect(out.endsWith("\n")).toBe(true);
    const events = out
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const kinds = events.map((e) => `${String(e.event)} ${String(e.service ?? "")}`.trim());
    const runs = kinds.reduce<[string, number][]>((acc, kind) => {
      const last = acc.at(-1);
      if (last && last[0] === kind) last[1] += 1;
      else acc.push([kind, 1]);
      return acc;
    }, []);
    expect(runs.map(([kind, n]) => (n > 1 ? `${kind} ×${n}` : kind))).toMatchInlineSnapshot(`
      [
        "warning",
        "start base",
        "log base ×2",
        "step base",
        "log base",
        "finish base",
        "start api",
        "start web",
        "step api",
        "log api",
        "log web ×20",
        "log api",
        "log web ×12",
        "finish web",
        "finish docs",
        "start cli",
        "finish cli",
        "finish api",
        "finish e2e",
        "done",
      ]
    `);
    expect(events.every((e, i) => e.time === 1_010 + i * 10)).toBe(true);
    expect(events.find((e) => e.event === "step" && e.service === "api")).toEqual({
      event: "step",
      time: expect.any(Number),
      service: "api",
      name: "[3/7] RUN npm ci",
      done: 2,
      cached: 2,
      total: 7,
    });
    expect(events.filter((e) => e.event === "finish")).toMatchInlineSnapshot(`
      [
        {
          "cachedSteps": 2,
          "durationMs": 3100,
          "event": "finish",
          "imageId": "sha256:aaa",
          "service": "base",
          "services": [
            "base",
          ],
          "status": "built",
          "steps": 4,
          "time": 1070,
        },
        {
          "cachedSteps": 1,
          "command": "DOCKER_BUILDKIT=1 docker build --target dev -t acme/web:dev /repo/web",
          "durationMs": 2950,
          "errorLines": [
            " > [3/4] RUN npm run build:",
            "------",
            "error: module b is broken",
            "executor failed running [/bin/sh -c npm run build]: exit code: 3",
          ],
          "event": "finish",
          "imageId": null,
          "service": "web",
          "services": [
            "web",
          ],
          "status": "failed",
          "steps": 3,
          "time": 1450,
        },
        {
          "cachedSteps": 0,
          "durationMs": 0,
          "event": "finish",
          "imageId": null,
          "reason": "web failed",
          "service": "docs",
          "services": [
            "docs",
          ],
          "status": "skipped",
          "steps": 0,
          "time": 1460,
        },
        {
          "cachedSteps": 0,
          "durationMs": 40,
          "event": "finish",
          "imageId": "sha256:ccc",
          "service": "cli",
          "services": [
            "cli",
          ],
          "status": "up-to-date",
          "steps": 0,
          "time": 1480,
        },
        {
          "cachedSteps": 5,
          "durationMs": 12345,
          "event": "finish",
          "imageId": "sha256:bbb",
          "service": "api",
          "services": [
            "api",
            "worker",
          ],
          "status": "built",
          "steps": 7,
          "time": 1490,
        },
        {
          "cachedSteps": 0,
          "durationMs": 0,
          "event": "finish",
          "imageId": null,
          "service": "e2e",
          "services": [
            "e2e",
          ],
          "status": "cancelled",
          "steps": 0,
          "time": 1500,
        },
      ]
    `);
    expect(events.at(-1)).toEqual({
      event: "done",
      time: expect.any(Number),
      durationMs: 38_210,
      interrupted: false,
      counts: { built: 3, "up-to-date": 1, failed: 1, skipped: 1, cancelled: 1 },
    });
  });

  it("keeps a line of engine output that looks like JSON or holds newlines on one line", () => {
    let out = "";
    const reporter = createJsonReporter({ write: (t) => (out += t), now: () => 0 });
    reporter.jobLog?.(makeJob("api"), '{"a":1}\nsecond');
    expect(out).toBe('{"event":"log","time":0,"service":"api","line":"{\\"a\\":1}\\nsecond"}\n');
  });
});
