import type { SourceLocation } from "../errors.js";
import type { BuildSpec, Project, Service } from "../compose/types.js";
import type { CacheMount, DockerfileAnalysis, Stage } from "../dockerfile/types.js";

/** Why one service needs another at build time. */
export type EdgeKind =
  /** a stage is built `FROM` the other service's image */
  | "FROM"
  /** `COPY --from=` the other service's image */
  | "COPY"
  /** `RUN --mount=…,from=` the other service's image */
  | "RUN"
  /** `additional_contexts: { name: service:other }` */
  | "context"
  /** `x-dockbuild.dependsOn` */
  | "declared";

export interface BuildEdge {
  /** The service depended on. */
  to: string;
  kind: EdgeKind;
  /** The reference as written after ARG expansion (an image name or a context name). */
  ref: string;
  location?: SourceLocation;
}

/** A service that has a `build` section, with everything the plan needs to know about it. */
export interface ServiceNode {
  name: string;
  service: Service;
  /** The build section with dockbuild's per-service overrides applied and every arg resolved. */
  build: BuildSpec;
  args: Record<string, string>;
  /** The image name (`image:` or `<project>-<service>`). */
  imageName: string;
  /** The image name followed by `build.tags`, without duplicates. */
  tags: string[];
  /** The Dockerfile's path, or a pseudo path for `dockerfile_inline`. */
  dockerfileLabel: string;
  dockerfileText: string;
  analysis: DockerfileAnalysis;
  /** The stages the target needs, in build order. */
  stages: Stage[];
  cacheMounts: CacheMount[];
  edges: BuildEdge[];
  /** The distinct services this one needs at build time, in the order first found. */
  dependsOn: string[];
  /** The earlier service whose build is identical to this one's, if any. */
  sameBuildAs: string | null;
}

export interface BuildGraph {
  project: Project;
  /** Every service with a build section, in file order. */
  nodes: Map<string, ServiceNode>;
  warnings: string[];
  /** Normalized image reference → the service that builds it. */
  imageOwners: Map<string, string>;
}
