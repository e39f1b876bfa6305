import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../src/compose/load.js";
import type { LoadProjectOptions } from "../../src/compose/types.js";
import { configSchema } from "../../src/config/schema.js";
import { loadGraph } from "../../src/graph/load.js";
import { affectedServices, readDockerignores } from "../../src/inputs/affected.js";
import { changedFilesSince } from "../../src/inputs/changed-files.js";
import { cleanTempDirs, git, gitRepo, writeFiles } from "./helpers.js";

afterAll(cleanTempDirs);

const FILES = {
  "compose.yaml": [
    "include:",
    "  - path: ./libs/auth/compose.yaml",
    "    env_file: ./libs/auth/auth.env",
    "services:",
    "  api:",
    "    extends: { file: ./templates/node.yaml, service: node }",
    "    build: { context: ./api }",
    "    image: acme/api:${TAG:-dev}",
    "  web:",
    "    build: ./web",
    "    image: acme/web",
    "",
  ].join("\n"),
  "templates/node.yaml": "services:\n  node:\n    build:\n      args: { NODE: '22' }\n",
  "libs/auth/compose.yaml": "services:\n  auth:\n    build: ./svc\n    image: acme/auth:${AUTH_TAG}\n",
  "libs/auth/auth.env": "AUTH_TAG=1\n",
  "libs/auth/svc/Dockerfile": "FROM scratch\n",
  "api/Dockerfile": "FROM scratch\n",
  "web/Dockerfile": "FROM scratch\n",
  "ci.env": "TAG=ci\n",
  "dockbuild.config.json": "{}\n",
};

/** A repository on branch `feature`, forked from `main` with `files` committed. */
function featureRepo(files: Record<string, string> = FILES): string {
  const dir = gitRepo(files);
  git(dir, "checkout", "-q", "-b", "feature");
  return dir;
}

/** What `dockbuild matrix --affected --since main` would select, loading the project as the CLI does. */
async function affected(dir: string, options: Partial<LoadProjectOptions> = {}): Promise<string[]> {
  const project = await loadProject({ files: [], envFiles: [], profiles: [], env: {}, cwd: dir, ...options });
  const graph = await loadGraph(project, configSchema.parse({}));
  const changed = await changedFilesSince(dir, "main");
  return affectedServices(graph, changed, await readDockerignores(graph), [
    path.join(dir, "dockbuild.config.json"),
  ]);
}

describe("--affected follows every file that defines or feeds a service in Compose", () => {
  it("the loader records each service's files: its compose file, its extends: file:, an include and the include's env_file", async () => {
    const dir = featureRepo();
    const project = await loadProject({ files: [], envFiles: [], profiles: [], env: {}, cwd: dir });
    const sources = Object.fromEntries(project.services.map((s) => [s.name, s.sources]));
    expect(sources).toEqual({
      auth: [
        path.join(dir, "compose.yaml"),
        path.join(dir, "libs/auth/compose.yaml"),
        path.join(dir, "libs/auth/auth.env"),
      ],
      api: [path.join(dir, "compose.yaml"), path.join(dir, "templates/node.yaml")],
      web: [path.join(dir, "compose.yaml")],
    });
    expect(project.globalFiles).toEqual([path.join(dir, "compose.yaml"), path.join(dir, ".env")]);
  });

  it("a change to an extends: file: marks the service that extends it", async () => {
    const dir = featureRepo();
    writeFiles(dir, {
      "templates/node.yaml": "services:\n  node:\n    build:\n      args: { NODE: '24' }\n",
    });
    expect(await affected(dir)).toEqual(["api"]);
  });

  it("a change to an included compose file marks the services it brings in", async () => {
    const dir = featureRepo();
    writeFiles(dir, {
      "libs/auth/compose.yaml": "services:\n  auth:\n    build: ./svc\n    image: acme/auth:2\n",
    });
    expect(await affected(dir)).toEqual(["auth"]);
  });

  it("a change to an include's env_file marks the included services", async () => {
    const dir = featureRepo();
    writeFiles(dir, { "libs/auth/auth.env": "AUTH_TAG=2\n" });
    expect(await affected(dir)).toEqual(["auth"]);
  });

  it("a new .env in the project folder (used for interpolation) marks every service", async () => {
    const dir = featureRepo();
    writeFiles(dir, { ".env": "TAG=2\n" });
    expect(await affected(dir)).toEqual(["auth", "api", "web"]);
  });

  it("a change to a file named by COMPOSE_ENV_FILES marks every service; .env, then unused, marks none", async () => {
    const dir = featureRepo();
    writeFiles(dir, { "ci.env": "TAG=ci2\n" });
    expect(await affected(dir, { env: { COMPOSE_ENV_FILES: "ci.env" } })).toEqual(["auth", "api", "web"]);
    git(dir, "stash", "-q");
    writeFiles(dir, { ".env": "TAG=x\n" });
    expect(await affected(dir, { env: { COMPOSE_ENV_FILES: "ci.env" } })).toEqual([]);
  });

  it("a change to an --env-file marks every service", async () => {
    const dir = featureRepo();
    writeFiles(dir, { "ci.env": "TAG=ci2\n" });
    expect(await affected(dir, { envFiles: [path.join(dir, "ci.env")] })).toEqual(["auth", "api", "web"]);
  });

  it.each(["compose.yaml", "dockbuild.config.json"])("a change to %s marks every service", async (file) => {
    const dir = featureRepo();
    writeFiles(dir, { [file]: `${FILES[file as keyof typeof FILES]}# changed\n` });
    expect(await affected(dir)).toEqual(["auth", "api", "web"]);
  });
});
