import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, runCli } from "../helpers/run-cli.js";

// The warnings of loading a project are shown by every command, once: a CI job that only runs `matrix` or
// `ls --json` sees an unset build arg too. Machine output (JSON, SARIF, matrices) stays alone on stdout.

const dir = path.join(FIXTURES, "build-warnings");

/** The `warning: …` lines of stderr, which must be all that stderr holds, each once. */
function warningLines(stderr: string): string[] {
  const lines = stderr.split("\n").filter((l) => l !== "");
  for (const line of lines) expect(line).toMatch(/^warning: /);
  expect(new Set(lines).size).toBe(lines.length);
  return lines;
}

describe("every command prints the load warnings on stderr, each once", () => {
  it.each([
    [["ls"]],
    [["ls", "--json"]],
    [["matrix"]],
    [["matrix", "--format", "gitlab"]],
    [["matrix", "--format", "json"]],
    [["check"]],
    [["check", "--format", "sarif"]],
    [["plan", "--json"]],
    [["plan", "--format", "mermaid"]],
  ])("%j", async (args) => {
    const result = await runCli(["--project-directory", dir, ...args]);
    expect(result.exitCode).toBe(0);
    const lines = warningLines(result.stderr);
    expect(lines.filter((l) => l.includes('"NPM_TOKEN" variable is not set'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("`version` is obsolete"))).toHaveLength(1);
    if (args.includes("--json") || args.includes("sarif") || args.includes("json"))
      expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
  });

  it.each([[["cache", "export", path.join(dir, "no-such-export"), "--dry-run"]], [["app", "--dry-run"]]])(
    "%j (no engine: the dry run says so, once)",
    async (args) => {
      const env = { DOCKBUILD_DOCKER: path.join(dir, "no-such-docker") };
      const result = await runCli(["--project-directory", dir, ...args], env);
      expect(result.exitCode).toBe(0);
      const lines = warningLines(result.stderr);
      expect(lines.filter((l) => l.includes('"NPM_TOKEN" variable is not set'))).toHaveLength(1);
      expect(lines.filter((l) => l.includes("no engine answered"))).toHaveLength(1);
    },
  );

  it("each says where (file:line); nothing about the cache service, which does not build", async () => {
    const file = path.join(dir, "compose.yaml");
    const result = await runCli(["--project-directory", dir, "ls", "--json"]);
    expect(warningLines(result.stderr)).toEqual([
      `warning: ${file}:7: The "NPM_TOKEN" variable is not set. Defaulting to a blank string.`,
      `warning: ${file}:1: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`,
    ]);
  });

  it("plan text shows them in its own warnings section, not on stderr too", async () => {
    const result = await runCli(["--project-directory", dir, "plan"]);
    expect(result.stderr).toBe("");
    const shown = result.stdout.split("\n").filter((l) => l.startsWith("  ! "));
    expect(shown.filter((l) => l.includes("NPM_TOKEN"))).toHaveLength(1);
  });

  it("plan --json: in its warnings field for programs and on stderr for a person, once in each", async () => {
    const result = await runCli(["--project-directory", dir, "plan", "--json"]);
    const { warnings } = JSON.parse(result.stdout) as { warnings: string[] };
    expect(warningLines(result.stderr)).toEqual(warnings.map((w) => `warning: ${w}`));
  });
});
