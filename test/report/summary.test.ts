import { describe, expect, it } from "vitest";
import { formatGithubStepSummary, formatSummary } from "../../src/report/summary.js";
import { results, stripAnsi } from "./helpers.js";

describe("formatSummary", () => {
  it("shows a row per service, the failure's error lines, the skip reason and the counts", () => {
    expect(formatSummary(results, { durationMs: 38_210, interrupted: false })).toMatchInlineSnapshot(`
      "SERVICE  TARGET      STATUS      TIME   CACHED  SIZE
      base     -           built       3.1s   2/4     4.2 MB
      api      production  built       12.3s  5/7     12.4 MB
      worker   production  built       same build as api
      web      dev         failed      3.0s   1/3     -
      docs     -           skipped     -      -       -
      cli      -           up to date  0.0s   -       950 B
      e2e      test        cancelled   -      -       -

      web failed
        $ DOCKER_BUILDKIT=1 docker build --target dev -t acme/web:dev /repo/web
           > [3/4] RUN npm run build:
          ------
          error: module b is broken
          executor failed running [/bin/sh -c npm run build]: exit code: 3

      docs skipped: web failed

      3 built, 1 up to date, 1 failed, 1 skipped, 1 cancelled in 38.2s"
    `);
  });

  it("says when the run was interrupted", () => {
    const out = formatSummary(results.slice(0, 1), { durationMs: 61_400, interrupted: true });
    expect(out.split("\n").at(-1)).toBe(
      "1 built, 0 up to date, 0 failed, 0 skipped, 0 cancelled in 1m 01s (interrupted)",
    );
  });

  it("colors statuses only when asked, without breaking the columns", () => {
    const plain = formatSummary(results, { durationMs: 1000, interrupted: false });
    const colored = formatSummary(results, { durationMs: 1000, interrupted: false, color: true });
    expect(plain).not.toContain("\u001b[");
    expect(colored).toContain("\u001b[31m");
    expect(stripAnsi(colored)).toBe(plain);
  });

  it("prints a failure with no command and no error lines", () => {
    const out = formatSummary([{ ...results[2]!, command: undefined, errorLines: undefined }], {
      durationMs: 3000,
      interrupted: false,
    });
    expect(out).toContain("web failed\n    (the engine printed no error)");
  });

  it("prints only the closing line when nothing ran", () => {
    expect(formatSummary([], { durationMs: 100, interrupted: false })).toBe(
      "0 built, 0 up to date, 0 failed, 0 skipped, 0 cancelled in 0.1s",
    );
  });
});

describe("formatGithubStepSummary", () => {
  it("renders the same summary as Markdown", () => {
    expect(formatGithubStepSummary(results, { durationMs: 38_210, interrupted: false }))
      .toMatchInlineSnapshot(`
      "### dockbuild: 3 built, 1 up to date, 1 failed, 1 skipped, 1 cancelled in 38.2s

      | Service | Target | Status | Time | Cached | Size |
      | --- | --- | --- | --- | --- | --- |
      | base | - | ✅ built | 3.1s | 2/4 | 4.2 MB |
      | api | production | ✅ built | 12.3s | 5/7 | 12.4 MB |
      | worker | production | ✅ built | same build as \`api\` |  |  |
      | web | dev | ❌ failed | 3.0s | 1/3 | - |
      | docs | - | ⏭️ skipped | - | - | - |
      | cli | - | ☑️ up to date | 0.0s | - | 950 B |
      | e2e | test | ⛔ cancelled | - | - | - |

      <details open><summary><strong>web</strong> failed</summary>

      \`\`\`text
      $ DOCKER_BUILDKIT=1 docker build --target dev -t acme/web:dev /repo/web
       > [3/4] RUN npm run build:
      ------
      error: module b is broken
      executor failed running [/bin/sh -c npm run build]: exit code: 3
      \`\`\`

      </details>

      - \`docs\` skipped: web failed"
    `);
  });

  it("escapes table cells and fences error lines that hold backticks", () => {
    const odd = {
      ...results[2]!,
      job: { ...results[2]!.job, target: "a|b" },
      errorLines: ["```", "<script>"],
    };
    const out = formatGithubStepSummary([odd], { durationMs: 1, interrupted: false });
    expect(out).toContain("| web | a\\|b | ❌ failed |");
    expect(out).toContain("````text\n$ DOCKER_BUILDKIT=1");
    expect(out).toContain("```\n<script>\n````");
  });
});
