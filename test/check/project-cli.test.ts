import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/check/rules.js";
import { runBin, writeProject } from "../helpers/run-bin.js";
import { sarifErrors } from "../helpers/sarif-schema.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const FIXTURES = path.join(REPO, "test", "fixtures", "check");

interface JsonReport {
  failed: boolean;
  services: string[];
  findings: { rule: string; line: number; file: string; services: string[]; severity: string }[];
}

/** A copy of a fixture with what git cannot hold: a node_modules folder in web's context. */
function copyFixture(name: string): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "dockbuild-check-")), name);
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  mkdirSync(path.join(dir, "web", "node_modules", "left-pad"), { recursive: true });
  writeFileSync(path.join(dir, "web", "node_modules", "left-pad", "index.js"), "module.exports = 1;\n");
  return dir;
}

async function checkJson(dir: string, ...extra: string[]): Promise<{ exitCode: number; report: JsonReport }> {
  const result = await runBin(["--project-directory", dir, "check", "--format", "json", ...extra]);
  expect(result.stderr).toBe("");
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as JsonReport };
}

describe("the naive monorepo and its fixed twin", () => {
  it("naive: every rule that reads Dockerfiles is broken somewhere (DB009 needs --sizes: see the engine test)", async () => {
    const { exitCode, report } = await checkJson(copyFixture("naive"));
    const broken = new Set(report.findings.map((f) => f.rule));
    expect([...broken].sort()).toEqual(RULES.map((r) => r.id).filter((id) => id !== "DB009"));
    expect(exitCode).toBe(1);
    expect(report.failed).toBe(true);
    // each finding names its file:line and the service whose target builds it
    const web = report.findings.filter((f) => f.file.endsWith(path.join("web", "Dockerfile")));
    expect(web.map((f) => [f.rule, f.line])).toEqual([
      ["DB003", 1],
      ["DB008", 1],
      ["DB001", 3],
      ["DB006", 3],
      ["DB002", 4],
      ["DB007", 4],
      ["DB004", 6],
    ]);
    for (const f of web) expect(f.services).toEqual(["web"]);
  });

  it("fixed: the fixes the check suggests leave nothing to report, even with --strict", async () => {
    const { exitCode, report } = await checkJson(copyFixture("fixed"), "--strict");
    expect(report.findings).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it("SARIF of the naive monorepo is valid SARIF 2.1.0, one result per finding, paths relative to the cwd", async () => {
    const dir = copyFixture("naive");
    const { report } = await checkJson(dir);
    const result = await runBin(["--project-directory", dir, "check", "--format", "sarif"], dir);
    const log = JSON.parse(result.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0]?.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(log.runs[0]?.results).toHaveLength(report.findings.length);
    expect(log.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      "api/Dockerfile",
    );
    expect(result.exitCode).toBe(1);
  });
});

describe("the example monorepo in packages/", () => {
  it("passes, with every profile, with --strict", async () => {
    const { exitCode, report } = await checkJson(path.join(REPO, "packages"), "--profile", "*", "--strict");
    expect(report.services).toEqual(["base", "api", "worker", "assets", "web", "cli", "debug"]);
    expect(report.findings).toEqual([]);
    expect(exitCode).toBe(0);
  });
});

describe("services that share a Dockerfile", () => {
  const dockerfile = [
    "FROM alpine AS base",
    "RUN echo base > /base",
    "FROM base AS test",
    "RUN sh tests/run.sh",
    "FROM base AS api",
    "COPY --from=test /base /api",
    "FROM base AS worker",
    "",
  ].join("\n");
  const compose = [
    "services:",
    "  api: { image: shared/api:dev, build: { context: ., target: api } }",
    "  worker: { image: shared/worker:dev, build: { context: ., target: worker } }",
    "",
  ].join("\n");

  it("one finding per line, naming every service whose target builds it; the test stage only for api", async () => {
    const dir = writeProject({ "compose.yaml": compose, Dockerfile: dockerfile });
    const { report } = await checkJson(dir);
    expect(report.findings.map((f) => [f.rule, f.line, f.services])).toEqual([
      ["DB008", 1, ["api", "worker"]],
      ["DB004", 4, ["api"]],
    ]);
  });

  it("check SERVICE checks that service alone", async () => {
    const dir = writeProject({ "compose.yaml": compose, Dockerfile: dockerfile });
    const { report } = await checkJson(dir, "worker");
    expect(report.services).toEqual(["worker"]);
    expect(report.findings.map((f) => [f.rule, f.services])).toEqual([["DB008", ["worker"]]]);
  });
});

describe("bad input and output", () => {
  it("an unknown rule in the config's check key: exit 2 with file:line, nothing checked", async () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  app: { build: . }\n",
      Dockerfile: "FROM alpine:3.20\n",
      ".dockbuildrc.yml":
        "check:\n  ignore:\n    - DB001\n    - no-such-rule\n  severity: { DB999: error }\n",
    });
    const result = await runBin(["--project-directory", dir, "check"]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      `${path.join(dir, ".dockbuildrc.yml")}:4: check.ignore.1: unknown rule "no-such-rule"`,
    );
    expect(result.stderr).toContain(
      `${path.join(dir, ".dockbuildrc.yml")}:5: check.severity.DB999: unknown rule "DB999"`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("a Dockerfile with an unknown target: exit 2, as for plan", async () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  app: { build: { context: ., target: prod } }\n",
      Dockerfile: "FROM alpine:3.20 AS production\n",
    });
    const result = await runBin(["--project-directory", dir, "check"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('target stage "prod" not found');
  });

  it("--output writes the report to a file", async () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  app: { build: . }\n",
      Dockerfile: "FROM alpine\n",
    });
    const out = path.join(dir, "check.sarif");
    const result = await runBin(["--project-directory", dir, "check", "--format", "sarif", "--output", out]);
    expect(result.stdout).toBe("");
    expect(result.exitCode).toBe(0);
    expect(sarifErrors(JSON.parse(readFileSync(out, "utf8")))).toEqual([]);
  });
});
