import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BuildSpec, Project } from "../../src/compose/types.js";
import type { BuildGraph, ServiceNode } from "../../src/graph/types.js";
import type { BuildJob } from "../../src/plan/types.js";
import type { Stage, StageBase } from "../../src/dockerfile/types.js";
import { makeJob } from "../helpers/build-job.js";

const made: string[] = [];

/** A fresh folder under the system's temp dir (real path), removed by `cleanTempDirs`. */
export function tempDir(prefix = "dockbuild-inputs-"): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

export function cleanTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Write files under `dir`: `{ "a/b.txt": "text" }`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

export function link(dir: string, file: string, target: string): void {
  const at = path.join(dir, file);
  try {
    unlinkSync(at);
  } catch {
    // not there yet
  }
  symlinkSync(target, at);
}

export function chmod(dir: string, file: string, mode: number): void {
  chmodSync(path.join(dir, file), mode);
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: tmpdir(),
};

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, env: GIT_ENV, encoding: "utf8" });
}

/** A git repository with `files` committed on branch main. */
export function gitRepo(files: Record<string, string>): string {
  const dir = tempDir("dockbuild-git-");
  git(dir, "init", "-q", "-b", "main");
  writeFiles(dir, files);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "initial");
  return dir;
}

export function buildSpec(context: string, overrides: Partial<BuildSpec> = {}): BuildSpec {
  return {
    context,
    dockerfile: path.join(context, "Dockerfile"),
    args: {},
    additionalContexts: {},
    tags: [],
    labels: {},
    platforms: [],
    cacheFrom: [],
    cacheTo: [],
    secrets: [],
    ssh: [],
    extraHosts: [],
    noCache: false,
    pull: false,
    ulimits: {},
    privileged: false,
    entitlements: [],
    ...overrides,
  };
}

export function stage(name: string, base: StageBase, sources: StageBase[] = []): Stage {
  const location = { file: "Dockerfile", line: 1 };
  return {
    name,
    index: 0,
    named: true,
    base,
    rawFrom: base.kind === "image" ? base.ref : name,
    sources: sources.map((from) => ({ from, raw: "", instruction: "COPY" as const, location })),
    cacheMounts: [],
    steps: 1,
    location,
  };
}

export interface NodeOptions {
  build?: Partial<BuildSpec>;
  dependsOn?: string[];
  stages?: Stage[];
  dockerfileText?: string;
}

export function serviceNode(name: string, context: string, options: NodeOptions = {}): ServiceNode {
  const build = buildSpec(context, options.build);
  const location = { file: "compose.yaml", line: 1 };
  return {
    name,
    service: { name, build, profiles: [], dependsOn: [], extension: {}, location },
    build,
    args: {},
    imageName: `acme/${name}`,
    tags: [`acme/${name}`],
    dockerfileLabel: build.dockerfile ?? "inline",
    dockerfileText: options.dockerfileText ?? "FROM scratch\nCOPY . /\n",
    analysis: { file: build.dockerfile ?? "inline", stages: [], globalArgs: {}, warnings: [], errors: [] },
    stages: options.stages ?? [stage("0", { kind: "scratch" })],
    cacheMounts: [],
    edges: [],
    dependsOn: options.dependsOn ?? [],
    sameBuildAs: null,
  };
}

export function buildGraph(
  workingDir: string,
  nodes: ServiceNode[],
  composeFiles: string[] = [],
): BuildGraph {
  const project: Project = {
    name: "acme",
    workingDir,
    composeFiles,
    services: nodes.map((n) => n.service),
    activeProfiles: [],
    environment: {},
    warnings: [],
  };
  return { project, nodes: new Map(nodes.map((n) => [n.name, n])), warnings: [], imageOwners: new Map() };
}

export function buildJob(id: string, context: string, overrides: Partial<BuildJob> = {}): BuildJob {
  return makeJob(id, {
    context,
    dockerfile: path.join(context, "Dockerfile"),
    stages: ["0"],
    tags: [`acme/${id}`],
    ...overrides,
  });
}
