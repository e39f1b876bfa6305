import { isRemoteContext } from "../util/remote-context.js";
import type { BuildGraph } from "./types.js";

/** A named context as the engine gets it. */
export type NamedContext =
  /** a folder on the host */
  | { kind: "path"; path: string }
  /** an image: another service's freshly built image, or `docker-image://REF` */
  | { kind: "image"; ref: string; service?: string }
  /** a git or HTTP URL */
  | { kind: "url"; url: string };

/** Say what an `additional_contexts` value stands for; a `service:` context is that service's image. */
export function toNamedContext(value: string, graph: Pick<BuildGraph, "nodes">): NamedContext {
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
