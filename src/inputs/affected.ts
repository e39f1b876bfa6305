import path from "node:path";
import { closure, dependents } from "../graph/sequence.js";
import type { BuildGraph, ServiceNode } from "../graph/types.js";
import { toNamedContext } from "../graph/named-context.js";
import { isRemoteContext } from "../util/remote-context.js";
import { createContextFilter } from "./context-filter.js";
import { readDockerignore, readDockerignoreFile } from "./context-files.js";

export { changedFilesSince } from "./changed-files.js";

/** A service's .dockerignore patterns, by its Dockerfile path when it has `<Dockerfile>.dockerignore`, else by context. */
export type DockerignoreMap = ReadonlyMap<string, readonly string[] | undefined>;

/** Read the patterns every service's build applies, keyed the way `affectedServices` looks them up. */
export async function readDockerignores(graph: BuildGraph): Promise<Map<string, string[] | undefined>> {
  const map = new Map<string, string[] | undefined>();
  for (const node of graph.nodes.values()) {
    const { context, dockerfile } = node.build;
    if (isRemoteContext(context)) continue; // nothing of it is on this disk
    if (dockerfile !== undefined && !map.has(dockerfile)) {
      const own = await readDockerignoreFile(`${dockerfile}.dockerignore`);
      if (own !== undefined) map.set(dockerfile, own);
    }
    if (!map.has(context)) map.set(context, await readDockerignore(context));
  }
  return map;
}

/**
 * The services a change touches: a changed file the build receives (inside the context and let through by its
 * .dockerignore, or inside a path named context), its Dockerfile or ignore file, a file that defines or feeds
 * the service in Compose (an `extends: file:` or `include:` file, an included project's env file), and then
 * every service that builds on one of those. A change to one of the project's global files (its compose files,
 * the env files used for interpolation) or of `globalFiles` (dockbuild's config) affects every service. Paths
 * are absolute and compared as spelled.
 */
export function affectedServices(
  graph: BuildGraph,
  changed: readonly string[],
  dockerignores: DockerignoreMap,
  globalFiles: readonly string[] = [],
): string[] {
  const files = changed.map((file) => path.resolve(file));
  const projectFiles = graph.project.globalFiles ?? graph.project.composeFiles;
  const global = new Set([...projectFiles, ...globalFiles].map((f) => path.resolve(f)));
  if (files.some((file) => global.has(file))) return [...graph.nodes.keys()];
  const changedSet = new Set(files);
  const touched = [...graph.nodes.values()]
    .filter((node) => {
      if ((node.service.sources ?? []).some((source) => changedSet.has(path.resolve(source)))) return true;
      const isInput = inputTest(graph, node, dockerignores);
      return files.some(isInput);
    })
    .map((node) => node.name);
  const builtOn = dependents(new Map([...graph.nodes.values()].map((n) => [n.name, n.dependsOn])));
  return [...closure(builtOn, touched)];
}

/** A test for whether a changed path is an input of `node`'s build, its .dockerignore matcher built once. */
function inputTest(
  graph: BuildGraph,
  node: ServiceNode,
  dockerignores: DockerignoreMap,
): (file: string) => boolean {
  const { context, dockerfile } = node.build;
  // Patterns not in the map count as none: every file of the context is then an input.
  const patterns =
    dockerfile !== undefined && dockerignores.has(dockerfile)
      ? dockerignores.get(dockerfile)
      : dockerignores.get(context);
  const filter = createContextFilter(patterns);
  const ownFiles = [path.join(context, ".dockerignore")];
  if (dockerfile !== undefined) ownFiles.push(dockerfile, `${dockerfile}.dockerignore`);
  const namedPaths = Object.values(node.build.additionalContexts)
    .map((value) => toNamedContext(value, graph))
    .flatMap((named) => (named.kind === "path" ? [named.path] : []));
  return (file) => {
    // A changed folder (a submodule, a nested repository) that holds an input counts as a change to it.
    if ([...ownFiles, context, ...namedPaths].some((input) => within(file, input) !== undefined)) return true;
    const relative = within(context, file);
    if (relative !== undefined && relative !== "" && filter.includes(relative)) return true;
    return namedPaths.some((dir) => within(dir, file) !== undefined);
  };
}

/** `file` relative to `dir` (`/`-separated, "" for `dir` itself) when it is `dir` or inside it. */
function within(dir: string, file: string): string | undefined {
  const relative = path.relative(dir, file);
  if (relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative))
    return undefined;
  return relative.split(path.sep).join("/");
}
