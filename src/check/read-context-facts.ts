import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { ServiceNode } from "../graph/types.js";
import { readDockerignoreFile } from "../inputs/context-files.js";
import type { ContextFacts } from "./context-facts.js";

/** Read, for each service with a local context, its root entries, its .dockerignore and its workspace files. */
export async function readContextFacts(nodes: readonly ServiceNode[]): Promise<Map<string, ContextFacts>> {
  const byKey = new Map<string, Promise<ContextFacts | undefined>>();
  const facts = new Map<string, ContextFacts>();
  await Promise.all(
    nodes.map(async (node) => {
      const { context } = node.build;
      if (node.analysis.stages.length === 0 || /^[a-z]+:\/\/|^git@/.test(context)) return;
      const dockerfile = node.build.dockerfileInline === undefined ? node.build.dockerfile : undefined;
      const key = `${context}\0${dockerfile ?? ""}`;
      let pending = byKey.get(key);
      if (!pending) {
        pending = readOne(context, dockerfile);
        byKey.set(key, pending);
      }
      const found = await pending;
      if (found) facts.set(node.name, found);
    }),
  );
  return facts;
}

async function readOne(context: string, dockerfile: string | undefined): Promise<ContextFacts | undefined> {
  let names: string[];
  try {
    const entries = await readdir(context, { withFileTypes: true });
    names = entries.map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
  } catch {
    return undefined;
  }
  const entries = new Set(names);
  // BuildKit reads <Dockerfile>.dockerignore first, else <context>/.dockerignore (see readDockerignore)
  let dockerignore: string[] | undefined;
  let dockerignoreFile: string | undefined;
  for (const file of [
    ...(dockerfile ? [`${dockerfile}.dockerignore`] : []),
    path.join(context, ".dockerignore"),
  ]) {
    dockerignore = await readDockerignoreFile(file);
    if (dockerignore !== undefined) {
      dockerignoreFile = file;
      break;
    }
  }
  return {
    entries,
    dockerignore,
    dockerignoreFile,
    nodeWorkspaces:
      entries.has("pnpm-workspace.yaml") || (await declaresWorkspaces(path.join(context, "package.json"))),
  };
}

async function declaresWorkspaces(file: string): Promise<boolean> {
  try {
    const json: unknown = JSON.parse(await readFile(file, "utf8"));
    return typeof json === "object" && json !== null && "workspaces" in json;
  } catch {
    return false;
  }
}
