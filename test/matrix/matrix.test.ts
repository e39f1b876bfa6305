import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { FIXTURES, makeProject, runCli } from "../helpers/run-cli.js";

const chain = path.join(FIXTURES, "chain");

describe("dockbuild matrix", () => {
  it("github: one line of JSON for strategy.matrix, one entry per service with its wave", async () => {
    const result = await runCli(["matrix", "--project-directory", chain]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toEqual({
      include: [
        { service: "jre", target: "", wave: 1 },
        { service: "framework", target: "", wave: 2 },
        { service: "common", target: "", wave: 3 },
        { service: "billing", target: "", wave: 4 },
        { service: "orders", target: "", wave: 4 },
      ],
    });
  });

  it("github: named services only, no dependencies as extra jobs", async () => {
    const result = await runCli(["matrix", "--project-directory", chain, "orders"]);
    expect(JSON.parse(result.stdout)).toEqual({ include: [{ service: "orders", target: "", wave: 1 }] });
  });

  it("gitlab: a child pipeline whose needs follow the build graph", async () => {
    const result = await runCli(["matrix", "--format", "gitlab", "--project-directory", chain]);
    expect(result.exitCode).toBe(0);
    const pipeline = parse(result.stdout) as Record<string, { needs?: string[]; script?: string[] }>;
    expect(pipeline["build:billing"]?.needs).toEqual(["build:common"]);
    expect(pipeline["build:framework"]?.needs).toEqual(["build:jre"]);
    expect(pipeline["build:jre"]?.needs).toEqual([]);
    expect(pipeline["build:orders"]?.script).toEqual(["dockbuild orders"]);
  });

  it("json: the plain list with waves", async () => {
    const result = await runCli(["matrix", "--format", "json", "--project-directory", chain]);
    const json = JSON.parse(result.stdout) as {
      services: { service: string; dependsOn: string[] }[];
      waves: string[][];
    };
    expect(json.waves).toEqual([["jre"], ["framework"], ["common"], ["billing", "orders"]]);
    expect(json.services.find((s) => s.service === "common")?.dependsOn).toEqual(["framework"]);
  });

  it("--github-output writes the matrix to $GITHUB_OUTPUT", async () => {
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const os = await import("node:os");
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "gh-out-")), "output");
    const result = await runCli(
      ["matrix", "--github-output", "matrix", "--project-directory", chain, "jre"],
      {
        GITHUB_OUTPUT: file,
      },
    );
    expect(result.exitCode).toBe(0);
    expect(readFileSync(file, "utf8")).toBe('matrix={"include":[{"service":"jre","target":"","wave":1}]}\n');
  });

  const project = {
    "docker-compose.yml":
      "services:\n  base:\n    image: acme/base\n    build: ./base\n  api:\n    build: ./api\n  web:\n    build: ./web\n",
    "base/Dockerfile": "FROM scratch\nCOPY f /f\n",
    "base/f": "1",
    "api/Dockerfile": "FROM acme/base\nCOPY . /app\n",
    "api/main.txt": "api",
    "web/Dockerfile": "FROM scratch\nCOPY . /app\n",
    "web/index.txt": "web",
    "web/.dockerignore": "*.md\n",
  };

  it("--affected outside a git repository is bad input (exit 2) with the reason", async () => {
    const dir = makeProject(project);
    const result = await runCli(["matrix", "--affected", "--since", "main", "--project-directory", dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/git/i);
  });

  it("--affected --since REF: changed services and what builds on them; ignored files change nothing", async () => {
    const dir = makeProject(project);
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
    git("init", "-q", "-b", "main");
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "empty");
    git("add", ".");
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "init");
    const matrix = async () => {
      const result = await runCli(["matrix", "--affected", "--since", "HEAD", "--project-directory", dir]);
      expect(result.stderr).toBe("");
      return (JSON.parse(result.stdout) as { include: { service: string }[] }).include.map((e) => e.service);
    };
    expect(await matrix()).toEqual([]);
    writeFileSync(path.join(dir, "web/README.md"), "ignored by .dockerignore");
    expect(await matrix()).toEqual([]);
    writeFileSync(path.join(dir, "web/index.txt"), "changed, unstaged");
    expect(await matrix()).toEqual(["web"]);
    writeFileSync(path.join(dir, "base/new-file"), "untracked");
    // wave order: base and web first, then api, which builds FROM base's image
    expect(await matrix()).toEqual(["base", "web", "api"]);
    const unknown = await runCli([
      "matrix",
      "--affected",
      "--since",
      "no-such-ref",
      "--project-directory",
      dir,
    ]);
    expect(unknown.exitCode).toBe(2);
  });
});
