import type { BuildGraph } from "../graph/types.js";
import { isRemoteContext } from "../util/remote-context.js";
import type { NamedContext } from "./types.js";

/** Say what an `additional_contexts` value stands for; a `service:` context is that service's image. */
export function toNamedContext(value: string, graph: BuildGraph): NamedContext {
  if (value.startsWith("service:")) {
    const service = value.slice("service:".length);
    const ref = graph.nodes.get(service)?.imageName ?? service;
    return { kind: "image", ref, service };
  }
  if (value.startsWith("docker-image://"))
    return { kind: "image", ref: value.slice("docker-image://".length) };
  if (isRemoteContext(value)) return { kind: "url", url: value };
  return { kind: "path", path: value };
}
