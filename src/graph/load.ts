import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, type Stats } from "node:fs";
import path from "node:path";
import { InputError, formatProblem, type Problem } from "../errors.js";
import type { Project } from "../compose/types.js";
import type { Config } from "../config/schema.js";
import { loadAnalysisCache } from "./analysis-cache.js";
import { checkDockerfileBytes } from "../dockerfile/index.js";
import { describeFailure, errorFailure } from "../util/read-input-file.js";
import { isRemoteContext } from "../util/remote-context.js";
import { buildGraph, type DockerfileTexts } from "./build-graph.js";
import type { BuildGraph } from "./types.js";

/** A Dockerfile's text, or why it cannot be used: `problem` says what is wrong with the file itself. */
type ReadResult = { text: string } | { reason: string } | { problem: Problem };

/**
 * Read every built service's Dockerfile (each file once) and check that contexts exist; problems are collected.
 * The reads are synchronous: a project of 20,000 services has as many small files, and 20,000 file operations
 * in flight at once (each an open, stat, read and close through the thread pool) took seconds and 200 MB more
 * than reading them one after the other. Nothing can block: the opening does not wait (a FIFO), and only a
 * regular file is read.
 */
export function readDockerfiles(project: Project): { texts: DockerfileTexts; problems: Problem[] } {
  const texts = new Map<string, { label: string; text: string | null }>();
  const problems: Problem[] = [];
  const fileCache = new Map<string, ReadResult>();
  // One string per distinct text: a template copied into thousands of folders is held once, not once a file.
  const distinct = new Map<string, string>();
  const read = (file: string) => {
    let result = fileCache.get(file);
    if (!result) {
      result = readDockerfile(file);
      if ("text" in result) {
        const known = distinct.get(result.text);
        if (known === undefined) distinct.set(result.text, result.text);
        else result = { text: known };
      }
      fileCache.set(file, result);
    }
    return result;
  };
  const contextChecks = new Map<string, boolean>();
  const isDirectory = (dir: string) => {
    let found = contextChecks.get(dir);
    if (found === undefined) {
      found = statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
      contextChecks.set(dir, found);
    }
    return found;
  };

  for (const service of project.services) {
    const build = service.build;
    if (!build) continue;
    const where = service.buildLocation ?? service.location;
    // A remote context is fetched by the builder: nothing of it is on this disk to check or read.
    if (isRemoteContext(build.context)) {
      texts.set(service.name, { label: build.context, text: build.dockerfileInline ?? null });
      continue;
    }
    if (!isDirectory(build.context)) {
      problems.push({
        location: where,
        message: `service "${service.name}": build context ${build.context} does not exist or is not a folder`,
        hint: "fix build.context; relative paths are resolved from the compose file's folder",
      });
      continue;
    }
    if (build.dockerfileInline !== undefined) {
      texts.set(service.name, {
        label: `${service.name}: dockerfile_inline`,
        text: build.dockerfileInline,
      });
      continue;
    }
    const file = build.dockerfile ?? path.join(build.context, "Dockerfile");
    const result = read(file);
    if ("problem" in result) problems.push(result.problem);
    else if ("reason" in result) {
      problems.push({
        location: where,
        message: `service "${service.name}": Dockerfile ${file} ${result.reason}`,
        hint: "create it, or point build.dockerfile at the Dockerfile (relative to the build context)",
      });
    } else texts.set(service.name, { label: file, text: result.text });
  }
  return { texts, problems: unique(problems) };
}

/**
 * Read a Dockerfile only when it is a regular file of a size dockbuild reads: `/dev/zero` would never end and
 * a FIFO would block, so the file is opened without blocking and checked before anything is read.
 */
function readDockerfile(file: string): ReadResult {
  let fd;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { reason: describeFailure(errorFailure(error)) };
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { reason: "is a folder, not a file" };
    if (!stats.isFile()) return { reason: `is not a regular file (${fileKind(stats)})` };
    const tooLarge = checkDockerfileBytes(stats.size, file);
    if (tooLarge) return { problem: tooLarge };
    return { text: readFileSync(fd, "utf8") };
  } catch (error) {
    return { reason: describeFailure(errorFailure(error)) };
  } finally {
    closeSync(fd);
  }
}

function fileKind(stats: Stats): string {
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}

/** Each problem once: services that share a Dockerfile share its problems. */
function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = formatProblem(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Read the Dockerfiles and build the graph; every input problem from both steps is reported together.
 * Analyses of Dockerfiles met before come from the state folder.
 */
export async function loadGraph(project: Project, config: Config): Promise<BuildGraph> {
  // the state file is read in the background while the Dockerfiles are
  const caching = loadAnalysisCache(project.workingDir);
  const { texts, problems } = readDockerfiles(project);
  const cache = await caching;
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
