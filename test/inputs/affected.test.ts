import { renameSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DockbuildError } from "../../src/errors.js";
import { affectedServices, readDockerignores } from "../../src/inputs/affected.js";
import { changedFilesSince } from "../../src/inputs/changed-files.js";
import { graphOf as literalGraph } from "../graph/helpers.js";
import { buildGraph, cleanTempDirs, git, gitRepo, serviceNode, tempDir, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

const FILES = {
  "compose.yaml": "services: {}\n",
  "dockbuild.config.json": "{}\n",
  "base/Dockerfile": "FROM scratch\n",
  "base/os.txt": "1",
  "api/Dockerfile": "FROM acme/base\n",
  "api/src/main.js": "1",
  "worker/Dockerfile": "FROM acme/api\n",
  "web/Dockerfile": "FROM scratch\n",
  "web/.dockerignore": "docs\n*.md\n!README.md\n",
  "web/index.html": "1",
  "web/docs/guide.txt": "1",
  "libs/shared/index.js": "1",
  "tools/Dockerfile": "FROM scratch\n",
};

/** base ← api ← worker; web alone with a .dockerignore; tools uses libs/shared as a named context. */
function graphOf(dir: string) {
  const at = (p: string) => path.join(dir, p);
  return buildGraph(
    dir,
    [
      serviceNode("base", at("base")),
      serviceNode("api", at("api"), { dependsOn: ["base"] }),
      serviceNode("worker", at("worker"), { dependsOn: ["api"] }),
      serviceNode("web", at("web")),
      serviceNode("tools", at("tools"), {
        build: { additionalContexts: { shared: at("libs/shared"), b: "service:base" } },
      }),
    ],
    [at("compose.yaml")],
  );
}

async function affectedSince(dir: string, ref = "main"): Promise<string[]> {
  const graph = graphOf(dir);
  const changed = await changedFilesSince(dir, ref);
  return affectedServices(graph, changed, await readDockerignores(graph), [
    path.join(dir, "dockbuild.config.json"),
  ]);
}

/** A repository on branch `feature`, forked from `main` with FILES committed. */
function featureRepo(): string {
  const dir = gitRepo(FILES);
  git(dir, "checkout", "-q", "-b", "feature");
  return dir;
}

describe("changedFilesSince + affectedServices", () => {
  it("a committed change selects the service and everything built on it", async () => {
    const dir = featureRepo();
    writeFiles(dir, { "base/os.txt": "2" });
    git(dir, "commit", "-q", "-am", "base");
    expect(await changedFilesSince(dir, "main")).toEqual([path.join(dir, "base/os.txt")]);
    expect(await affectedSince(dir)).toEqual(["base", "api", "worker"]);
  });

  it("a staged change counts", async () => {
    const dir = featureRepo();
    writeFiles(dir, { "api/src/main.js": "2" });
    git(dir, "add", "-A");
    expect(await affectedSince(dir)).toEqual(["api", "worker"]);
  });

  it("an unstaged change counts", async () => {
    const dir = featureRepo();
    writeFiles(dir, { "worker/Dockerfile": "FROM acme/api\nRUN true\n" });
    expect(await affectedSince(dir)).toEqual(["worker"]);
  });

  it("an untracked file counts", async () => {
    const dir = featureRepo();
    writeFiles(dir, { "web/new.html": "x" });
    expect(await affectedSince(dir)).toEqual(["web"]);
  });

  it("a rename counts on both sides", async () => {
    const dir = featureRepo();
    renameSync(path.join(dir, "base/os.txt"), path.join(dir, "web/os.txt"));
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "move");
    expect(await changedFilesSince(dir, "main")).toEqual([
      path.join(dir, "base/os.txt"),
      path.join(dir, "web/os.txt"),
    ]);
    expect(await affectedSince(dir)).toEqual(["base", "api", "worker", "web"]);
  });

  it("a change the .dockerignore excludes selects nothing; one it re-includes does", async () => {
    const dir = featureRepo();
    writeFiles(dir, { "web/docs/guide.txt": "2", "web/CHANGELOG.md": "x" });
    expect(await affectedSince(dir)).toEqual([]);
    writeFiles(dir, { "web/README.md": "x" });
    expect(await affectedSince(dir)).toEqual(["web"]);
  });

  it("a change to the .dockerignore itself selects the service", async () => {
    const dir = featureRepo();
    writeFiles(dir, { "web/.dockerignore": "docs\n" });
    expect(await affectedSince(dir)).toEqual(["web"]);
  });

  it("a change in a path named context selects its user", async () => {
    const dir = featureRepo();
    writeFiles(dir, { "libs/shared/index.js": "2" });
    expect(await affectedSince(dir)).toEqual(["tools"]);
  });

  it("a change outside every context selects nothing", async () => {
    const dir = featureRepo();
    writeFiles(dir, { "README.md": "x", "libs/other/x.js": "x" });
    expect(await affectedSince(dir)).toEqual([]);
  });

  it.each(["compose.yaml", "dockbuild.config.json"])("a change to %s selects every service", async (file) => {
    const dir = featureRepo();
    writeFiles(dir, { [file]: "# changed\n" });
    expect(await affectedSince(dir)).toEqual(["base", "api", "worker", "web", "tools"]);
  });

  it("compares with the merge base: changes made on REF after the fork do not count", async () => {
    const dir = featureRepo();
    git(dir, "checkout", "-q", "main");
    writeFiles(dir, { "base/os.txt": "changed on main" });
    git(dir, "commit", "-q", "-am", "main moves on");
    git(dir, "checkout", "-q", "feature");
    writeFiles(dir, { "web/index.html": "2" });
    git(dir, "commit", "-q", "-am", "feature");
    expect(await affectedSince(dir)).toEqual(["web"]);
  });

  it("an unknown REF is bad input (exit 2) with a hint to fetch it", async () => {
    const dir = featureRepo();
    const error = await changedFilesSince(dir, "origin/nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockbuildError);
    expect(error).toMatchObject({ code: "BAD_INPUT", exitCode: 2 });
    expect((error as DockbuildError).message).toContain("origin/nope");
    expect((error as DockbuildError).hint).toContain("git fetch");
  });

  it("a folder outside any repository is bad input (exit 2)", async () => {
    const dir = tempDir();
    const error = await changedFilesSince(dir, "main").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_INPUT", exitCode: 2 });
    expect((error as DockbuildError).message).toContain("not inside a git repository");
  });
});

describe("affectedServices", () => {
  it("honors <Dockerfile>.dockerignore over the context's", async () => {
    const dir = tempDir();
    writeFiles(dir, {
      "app/Dockerfile": "FROM scratch\n",
      "app/Dockerfile.dockerignore": "tests\n",
      "app/.dockerignore": "docs\n",
    });
    const graph = buildGraph(dir, [serviceNode("app", path.join(dir, "app"))]);
    const ignores = await readDockerignores(graph);
    expect(affectedServices(graph, [path.join(dir, "app/tests/t.js")], ignores)).toEqual([]);
    expect(affectedServices(graph, [path.join(dir, "app/docs/d.md")], ignores)).toEqual(["app"]);
    expect(affectedServices(graph, [path.join(dir, "app/Dockerfile.dockerignore")], ignores)).toEqual([
      "app",
    ]);
  });

  it("counts a changed folder that holds a context, a Dockerfile or a named context", () => {
    const graph = buildGraph("/r", [
      serviceNode("a", "/r/vendor/lib/a"),
      serviceNode("b", "/r/b", { build: { dockerfile: "/r/docker/b.Dockerfile" } }),
      serviceNode("c", "/r/c", { build: { additionalContexts: { shared: "/r/libs/shared" } } }),
    ]);
    expect(affectedServices(graph, ["/r/vendor/lib"], new Map())).toEqual(["a"]);
    expect(affectedServices(graph, ["/r/docker"], new Map())).toEqual(["b"]);
    expect(affectedServices(graph, ["/r/libs"], new Map())).toEqual(["c"]);
    expect(affectedServices(graph, ["/r/vendor/other", "/r/bb/x"], new Map())).toEqual([]);
  });

  it("treats a context missing from the map as having no .dockerignore", () => {
    const graph = buildGraph("/r", [serviceNode("a", "/r/a")]);
    expect(affectedServices(graph, ["/r/a/docs/x"], new Map())).toEqual(["a"]);
    expect(affectedServices(graph, ["/r/ab/x"], new Map())).toEqual([]);
  });
});

describe("readDockerignores and remote contexts", () => {
  it("reads nothing for a remote context: none of it is on this disk", async () => {
    const graph = literalGraph(
      { tools: { build: "ssh://git@git.example.com/acme/tools.git" }, app: { build: "/nonexistent/app" } },
      { "/nonexistent/app/Dockerfile": "FROM scratch\n" },
    );
    expect([...(await readDockerignores(graph)).keys()]).toEqual(["/nonexistent/app"]);
  });
});
