import type { BuilderEndpoint } from "../config/endpoint.js";

/** How the Docker client reaches a builder: global flags, a buildx builder by name, a backend it needs. */
export interface BuilderTarget {
  /** Before the command: `-H unix:///…` or `--context NAME`. */
  clientArgs?: string[];
  /** `docker buildx build --builder NAME`. */
  buildxBuilder?: string;
  /** A buildx builder is reached through buildx only. */
  backend?: "buildx";
}

/** The client flags for a builder's endpoint; pure, so that what dockbuild runs can be read and tested. */
export function builderTarget(endpoint: BuilderEndpoint): BuilderTarget {
  switch (endpoint.kind) {
    case "docker":
      return { clientArgs: ["-H", endpoint.host] };
    case "docker-context":
      return { clientArgs: ["--context", endpoint.context] };
    case "buildx":
      return { buildxBuilder: endpoint.builder, backend: "buildx" };
  }
}

/**
 * The flags that reach the engine behind a buildx builder of the docker driver, whose endpoint (in
 * `docker buildx inspect`) is a Docker context's name or a host address.
 */
export function engineArgsForEndpoint(endpoint: string): string[] {
  return /^[a-z]+:\/\//.test(endpoint) ? ["-H", endpoint] : ["--context", endpoint];
}
