import { describe, expect, it } from "vitest";
import { detectPackages } from "../../src/init/detect-packages.js";
import type { RepoSnapshot } from "../../src/init/types.js";

/** A snapshot from a literal map of files (the text of every file given). */
function snapshot(files: Record<string, string>): RepoSnapshot {
  return { files: new Set(Object.keys(files)), texts: new Map(Object.entries(files)) };
}

describe("detectPackages", () => {
  it("npm workspaces: the members with a start script, the workspace root as context", () => {
    const { packages, skipped } = detectPackages(
      snapshot({
        "package.json": JSON.stringify({ workspaces: ["apps/*", "libs/**"] }),
        "package-lock.json": "{}",
        ".npmrc": "",
        "apps/api/package.json": JSON.stringify({
          name: "@acme/api",
          scripts: { start: "node dist/main.js", build: "tsc", test: "vitest" },
        }),
        "apps/site/package.json": JSON.stringify({
          name: "site",
          scripts: { start: "next start", test: 'echo "Error: no test specified" && exit 1' },
        }),
        "libs/ui/button/package.json": JSON.stringify({ name: "@acme/button" }),
      }),
      "acme",
    );
    expect(packages).toEqual([
      {
        kind: "node",
        dir: "apps/api",
        name: "api",
        manager: "npm",
        workspaceRoot: "",
        members: ["apps/api", "apps/site", "libs/ui/button"],
        rootFiles: ["package.json", "package-lock.json", ".npmrc"],
        command: ["node", "dist/main.js"],
        hasBuild: true,
        hasTest: true,
        hasDockerfile: false,
      },
      {
        kind: "node",
        dir: "apps/site",
        name: "site",
        manager: "npm",
        workspaceRoot: "",
        members: ["apps/api", "apps/site", "libs/ui/button"],
        rootFiles: ["package.json", "package-lock.json", ".npmrc"],
        command: ["npm", "start"],
        hasBuild: false,
        hasTest: false,
        hasDockerfile: false,
      },
    ]);
    expect(skipped).toEqual([
      { dir: ".", reason: "a workspace root" },
      { dir: "libs/ui/button", reason: "a library (no start script)" },
    ]);
  });

  it.each([
    [{ "pnpm-workspace.yaml": "packages: [apps/*]\n", "pnpm-lock.yaml": "" }, "pnpm"],
    [{ "yarn.lock": "" }, "yarn"],
    [{ "yarn.lock": "", ".yarnrc.yml": "nodeLinker: node-modules\n", ".yarn/": "" }, "yarn-berry"],
  ])("the manager from the lock files: %j → %s", (files, manager) => {
    const { packages } = detectPackages(
      snapshot({
        "package.json": JSON.stringify({ workspaces: ["apps/*"] }),
        "apps/web/package.json": JSON.stringify({ scripts: { start: "node server.js" } }),
        ...files,
      }),
      "acme",
    );
    expect(packages.map((p) => (p.kind === "node" ? [p.name, p.manager] : []))).toEqual([["web", manager]]);
  });

  it("Go modules: a main package at the root or under cmd/, libraries skipped", () => {
    const { packages, skipped } = detectPackages(
      snapshot({
        "svc/api/go.mod": "module example.com/api\n",
        "svc/api/go.sum": "",
        "svc/api/main.go": "// Package main runs the api.\npackage main\n",
        "svc/jobs/go.mod": "module example.com/jobs\n",
        "svc/jobs/cmd/runner/main.go": "package main\n",
        "svc/jobs/internal/x.go": "package internal\n",
        "lib/go.mod": "module example.com/lib\n",
        "lib/lib.go": "package lib\n",
      }),
      "acme",
    );
    expect(packages).toEqual([
      { kind: "go", dir: "svc/api", name: "api", mainPackage: ".", hasGoSum: true, hasDockerfile: false },
      {
        kind: "go",
        dir: "svc/jobs",
        name: "runner",
        mainPackage: "./cmd/runner",
        hasGoSum: false,
        hasDockerfile: false,
      },
    ]);
    expect(skipped).toEqual([{ dir: "lib", reason: "a Go library (no main package)" }]);
  });

  it("Python: requirements or pyproject, the command and the tests", () => {
    const { packages } = detectPackages(
      snapshot({
        "reports/requirements.txt": "pytest\n",
        "reports/app.py": "",
        "reports/tests/test_app.py": "",
        "reports/docs/requirements.txt": "sphinx\n",
        "ingest/pyproject.toml":
          '[build-system]\nrequires = ["hatchling"]\n[project]\nname = "data-ingest"\n[project.scripts]\ningest = "ingest:main"\n',
        "tool/pyproject.toml": '[project]\nname = "tool"\n',
      }),
      "acme",
    );
    expect(packages).toEqual([
      {
        kind: "python",
        dir: "ingest",
        name: "data-ingest",
        installable: true,
        command: ["ingest"],
        hasDockerfile: false,
      },
      {
        kind: "python",
        dir: "reports",
        name: "reports",
        requirements: "requirements.txt",
        installable: false,
        command: ["python", "app.py"],
        tests: "pytest",
        hasDockerfile: false,
      },
      {
        kind: "python",
        dir: "tool",
        name: "tool",
        installable: false,
        command: ["python", "-m", "tool"],
        hasDockerfile: false,
      },
    ]);
  });
});
