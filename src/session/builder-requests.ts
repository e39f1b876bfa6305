import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config/schema.js";
import { InputError, type Problem } from "../errors.js";
import type { BuildGraph } from "../graph/types.js";
import { mergeBuilderRequest, requestProblems, type BuilderRequest } from "../place/index.js";
import { lineOfPath } from "../util/yaml-location.js";
import { builderSlots } from "./builders.js";

/** By service: what it asks of its builder, the config's `services:` entry over its `x-dockbuild`. */
export function builderRequests(
  config: Config,
  graph: Pick<BuildGraph, "nodes">,
): Map<string, BuilderRequest> {
  const requests = new Map<string, BuilderRequest>();
  for (const node of graph.nodes.values()) {
    const request = mergeBuilderRequest(config.services?.[node.name], node.service.extension);
    if (request !== undefined) requests.set(node.name, request);
  }
  return requests;
}

/**
 * Every service that asks for a builder that is not configured, or for labels no builder carries: bad input,
 * each at the line that asks (the config's `services:` entry, or the service in the compose file). Without
 * `builders:` requests mean nothing (the one engine builds everything) and are not checked.
 */
export async function checkBuilderRequests(
  config: Config,
  configFile: string | undefined,
  graph: Pick<BuildGraph, "nodes">,
): Promise<void> {
  if (config.builders === undefined) return;
  const builders = config.builders.map(builderSlots);
  const found: { service: string; key: "builder" | "builderLabels"; message: string; hint: string }[] = [];
  for (const [service, request] of builderRequests(config, graph))
    for (const problem of requestProblems(request, builders)) found.push({ service, ...problem });
  if (found.length === 0) return;
  const text = configFile === undefined ? "" : await readFile(configFile, "utf8").catch(() => "");
  const problems: Problem[] = found.map(({ service, key, message, hint }) => {
    const fromConfig = config.services?.[service]?.[key] !== undefined;
    const keyPath = ["services", service, key];
    const inPackage = configFile !== undefined && path.basename(configFile) === "package.json";
    const location =
      fromConfig && configFile !== undefined
        ? { file: configFile, line: lineOfPath(text, inPackage ? ["dockbuild", ...keyPath] : keyPath) }
        : graph.nodes.get(service)?.service.location;
    return {
      ...(location !== undefined ? { location } : {}),
      message: `service "${service}" ${message}`,
      hint,
    };
  });
  throw new InputError(problems);
}
