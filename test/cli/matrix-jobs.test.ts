import path from "node:path";
import { parse as parseShell } from "shell-quote";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FIXTURES, runCli } from "../helpers/run-cli.js";

// A CI job runs what the matrix says, and nothing else: its command must load the project the matrix was
// made from (every compose file, env file, project name and profile) and build the services of its job.

const fixture = (name: string, ...rest: string[]) => path.join(FIXTURES, name, ...rest);

/** A job's script line as the arguments a shell hands to dockbuild. */
function shellArgs(line: string): string[] {
  const words = parseShell(line);
  expect(words.every((w) => typeof w === "string")).toBe(true);
  return (words as string[]).slice(1);
}

describe("matrix jobs carry the global options the matrix was made with", () => {
  const dir = fixture("extra-compose-file");
  const globals = [
    "-f",
    path.join(dir, "compose.yaml"),
    "-f",
    path.join(dir, "extra.yaml"),
    "--env-file",
    path.join(dir, "ci.env"),
    "-p",
    "demo",
  ];

  it("gitlab: each job's script names every compose file, the env file and the project, then its services", async () => {
    const result = await runCli([...globals, "matrix", "--format", "gitlab"]);
    expect(result.exitCode).toBe(0);
    const pipeline = parse(result.stdout) as Record<string, { script?: string[] }>;
    const options = [
      "--file",
      path.join(dir, "compose.yaml"),
      "--file",
      path.join(dir, "extra.yaml"),
      "--project-name",
      "demo",
      "--env-file",
      path.join(dir, "ci.env"),
    ];
    expect(shellArgs(pipeline["build:app"]?.script?.[0] ?? "")).toEqual([
      ...options,
      "build",
      "app",
      "extra",
    ]);
    expect(shellArgs(pipeline["build:check"]?.script?.[0] ?? "")).toEqual([...options, "build", "check"]);
  });

  it("the job's command, run as written, builds the same images (a service named check is built, not checked)", async () => {
    const matrix = await runCli([...globals, "matrix", "--format", "gitlab"]);
    const pipeline = parse(matrix.stdout) as Record<string, { script?: string[] }>;
    // A dry run names the engine command; with no Docker client to find it goes on without an engine.
    const env = { DOCKBUILD_DOCKER: path.join(dir, "no-such-docker") };
    const app = await runCli([...shellArgs(pipeline["build:app"]?.script?.[0] ?? ""), "--dry-run"], env);
    expect(app.exitCode).toBe(0);
    expect(app.stdout).toMatch(/^# app, extra\n.* -t demo-app -t acme\/extra:ci /m);
    const check = await runCli([...shellArgs(pipeline["build:check"]?.script?.[0] ?? ""), "--dry-run"], env);
    expect(check.exitCode).toBe(0);
    expect(check.stdout).toMatch(/^# check\n.* --target check -t demo-check /m);
  });

  it("gitlab: --gitlab-image, --gitlab-before-script and --gitlab-command shape every job", async () => {
    const result = await runCli([
      ...globals,
      "matrix",
      "--format",
      "gitlab",
      "--gitlab-image",
      "node:24",
      "--gitlab-before-script",
      "npm ci",
      "--gitlab-before-script",
      "docker info",
      "--gitlab-command",
      "npx -- dockbuild",
    ]);
    const pipeline = parse(result.stdout) as Record<string, Record<string, unknown>>;
    for (const job of ["build:app", "build:check"]) {
      expect(pipeline[job]).toMatchObject({ image: "node:24", before_script: ["npm ci", "docker info"] });
      expect(String((pipeline[job]?.script as string[])[0])).toMatch(/^npx -- dockbuild --file /);
    }
  });

  it("github: matrix.args is the same command line, shell-quoted, for `npx dockbuild ${{ matrix.args }}`", async () => {
    const result = await runCli([...globals, "matrix"]);
    const { include } = JSON.parse(result.stdout) as { include: { service: string; args: string }[] };
    expect(include.map((e) => e.service)).toEqual(["app", "check"]);
    expect(shellArgs(`dockbuild ${include[0]?.args ?? ""}`).slice(-3)).toEqual(["build", "app", "extra"]);
    expect(shellArgs(`dockbuild ${include[0]?.args ?? ""}`)).toContain(path.join(dir, "extra.yaml"));
  });

  it("json: args as a list; only the options given are passed on (here the default compose file alone)", async () => {
    const json = await runCli(["--project-directory", dir, "matrix", "--format", "json"]);
    const { jobs } = JSON.parse(json.stdout) as { jobs: { args: string[] }[] };
    expect(jobs.map((j) => j.args)).toEqual([["--project-directory", dir, "build", "app"]]);
  });
});

describe("a build-time need behind an inactive profile: plan, --no-deps and matrix give one answer", () => {
  const dir = fixture("profile-need");

  it("all plans base and assets (app and tool need them), not lint; the profile note names only lint", async () => {
    const result = await runCli(["plan", "--json", "--project-directory", dir]);
    expect(result.exitCode).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      services: { name: string; dependsOn: string[] }[];
      waves: string[][];
      hiddenByProfiles: { profile: string; services: string[] }[];
    };
    expect(plan.services.map((s) => [s.name, s.dependsOn])).toEqual([
      ["base", []],
      ["assets", []],
      ["app", ["base"]],
      ["tool", ["assets"]],
    ]);
    expect(plan.waves).toEqual([
      ["base", "assets"],
      ["app", "tool"],
    ]);
    expect(plan.hiddenByProfiles).toEqual([{ profile: "tools", services: ["lint"] }]);
    const text = await runCli(["plan", "--project-directory", dir]);
    expect(text.stdout).toContain(
      "not planned: 1 service with a build behind inactive profiles (--profile tools: lint)",
    );
    expect(text.stdout).toContain("profiles: tools (not active; app needs it at build time)");
    const noDeps = await runCli(["plan", "--json", "--no-deps", "--project-directory", dir]);
    expect((JSON.parse(noDeps.stdout) as { waves: string[][] }).waves).toEqual(plan.waves);
  });

  it("the matrix has the same jobs, waves and dependencies as the plan", async () => {
    const result = await runCli(["matrix", "--format", "json", "--project-directory", dir]);
    expect(result.exitCode).toBe(0);
    const matrix = JSON.parse(result.stdout) as {
      jobs: { service: string; wave: number; dependsOn: string[] }[];
      waves: string[][];
    };
    expect(matrix.jobs.map((j) => [j.service, j.wave, j.dependsOn])).toEqual([
      ["base", 1, []],
      ["assets", 1, []],
      ["app", 2, ["base"]],
      ["tool", 2, ["assets"]],
    ]);
    expect(matrix.waves).toEqual([
      ["base", "assets"],
      ["app", "tool"],
    ]);
  });
});
