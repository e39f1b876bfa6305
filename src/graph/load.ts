import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { InputError, type Problem } from "../errors.js";
import type { Project } from "../compose/types.js";
import type { Config } from "../config/schema.js";
import { loadAnalysisCache } from "./analysis-cache.js";
import { buildGraph, type DockerfileTexts } from "./build-graph.js";
import type { BuildGraph } from "./types.js";

const REMOTE_CONTEXT = /^(https?:\/\/|git@|git:\/\/|github\.com\/)/;

/** Read every built service's Dockerfile (each file once) and check that contexts exist; problems are collected. */
export async function readDockerfiles(
  project: Project,
): Promise<{ texts: DockerfileTexts; problems: Problem[] }> {
  const texts = new Map<string, { label: string; text: string | null }>();
  const problems: Problem[] = [];
  const fileCache = new Map<string, Promise<string | Error>>();
  const read = (file: string) => {
    let pending = fileCache.get(file);
    if (!pending) {
      pending = readFile(file, "utf8").catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      fileCache.set(file, pending);
    }
    return pending;
  };
  const contextChecks = new Map<string, Promise<boolean>>();
  const isDirectory = (dir: string) => {
    let pending = contextChecks.get(dir);
    if (!pending) {
      pending = stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      contextChecks.set(dir, pending);
    }
    return pending;
  };

  await Promise.all(
    project.services.map(async (service) => {
      const build = service.build;
      if (!build) return;
      const where = service.buildLocation ?? service.location;
      if (REMOTE_CONTEXT.test(build.context)) {
        texts.set(service.name, { label: build.context, text: build.dockerfileInline ?? null });
        return;
      }
      if (!(await isDirectory(build.context))) {
        problems.push({
          location: where,
          message: `service "${service.name}": build context ${build.context} does not exist or is not a folder`,
          hint: "fix build.context; relative paths are resolved from the compose file's folder",
        });
        return;
      }
      if (build.dockerfileInline !== undefined) {
        texts.set(service.name, {
          label: `${service.name}: dockerfile_inline`,
          text: build.dockerfileInline,
        });
        return;
      }
      const file = build.dockerfile ?? path.join(build.context, "Dockerfile");
      const text = await read(file);
      if (text instanceof Error) {
        problems.push({
          location: where,
          message: `service "${service.name}": Dockerfile ${file} cannot be read (${(text as NodeJS.ErrnoException).code ?? text.message})`,
          hint: "fix build.dockerfile; it is resolved from the build context",
        });
        return;
      }
      texts.set(service.name, { label: file, text });
    }),
  );
  return { texts, problems };
}

/**
 * Read the Dockerfiles and build the graph; every input problem from both steps is reported together.
 * Analyses of Dockerfiles met before come from the state folder.
 */
export async function loadGraph(project: Project, config: Config): Promise<BuildGraph> {
  const [{ texts, problems }, cache] = await Promise.all([readDockerfiles(project), loadAnalysisCache()]);
  try {
    const graph = buildGraph(project, config, texts, cache.analyze);
    await cache.save();
    if (problems.length > 0) throw new InputError(problems);
    return graph;
  } catch (error) {
    if (
      error instanceof InputError &&
      problems.length > 0 &&
      !error.problems.some((p) => problems.includes(p))
    ) {
      throw new InputError([...problems, ...error.problems]);
    }
    throw error;
  }
}
