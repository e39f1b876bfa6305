import type { BuildSpec, Project, Service } from "../../src/compose/types.js";
import type { Config } from "../../src/config/schema.js";
import type { AnalyzeDockerfile } from "../../src/graph/analyze.js";
import { buildGraph } from "../../src/graph/build-graph.js";
import type { BuildGraph } from "../../src/graph/types.js";
import { isRemoteContext } from "../../src/util/remote-context.js";

/** A build section with nothing set but its context; tests set what they look at. */
export function buildSpec(context: string, overrides: Partial<BuildSpec> = {}): BuildSpec {
  return {
    context,
    dockerfile: isRemoteContext(context) ? "Dockerfile" : `${context}/Dockerfile`,
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

export interface ServiceShape {
  image?: string;
  /** A context path (`/p/api`) or a partial build section with its context. */
  build?: string | (Partial<BuildSpec> & { context: string });
  profiles?: string[];
  extension?: Service["extension"];
}

/**
 * A service as the compose loader gives it, written at `line` of /p/compose.yaml: its `image:` on the next
 * line, its `build:` on the one after.
 */
export function service(name: string, shape: ServiceShape = {}, line = 2): Service {
  const build =
    shape.build === undefined
      ? undefined
      : typeof shape.build === "string"
        ? buildSpec(shape.build)
        : buildSpec(shape.build.context, shape.build);
  return {
    name,
    ...(shape.image === undefined
      ? {}
      : { image: shape.image, imageLocation: { file: "/p/compose.yaml", line: line + 1 } }),
    ...(build ? { build, buildLocation: { file: "/p/compose.yaml", line: line + 2 } } : {}),
    profiles: shape.profiles ?? [],
    dependsOn: [],
    extension: shape.extension ?? {},
    location: { file: "/p/compose.yaml", line },
  };
}

/** A project of literal services, named `p` unless told. */
export function project(
  services: Record<string, ServiceShape>,
  options: { name?: string; activeProfiles?: string[] } = {},
): Project {
  return {
    name: options.name ?? "p",
    workingDir: "/p",
    composeFiles: ["/p/compose.yaml"],
    // the n-th service (from 0) is written at line 2 + 10·n
    services: Object.entries(services).map(([name, shape], i) => service(name, shape, 2 + 10 * i)),
    activeProfiles: options.activeProfiles ?? [],
    environment: {},
    warnings: [],
  };
}

/**
 * The graph of literal services over literal Dockerfiles (by path): what `loadGraph` builds, without the disk.
 * A remote context has no text, as the loader gives it.
 */
export function graphOf(
  services: Record<string, ServiceShape>,
  dockerfiles: Record<string, string>,
  options: { config?: Config; name?: string; activeProfiles?: string[]; analyze?: AnalyzeDockerfile } = {},
): BuildGraph {
  const p = project(services, options);
  const texts = new Map<string, { label: string; text: string | null }>();
  for (const s of p.services) {
    if (!s.build) continue;
    if (s.build.dockerfileInline !== undefined) {
      texts.set(s.name, { label: `${s.name}: dockerfile_inline`, text: s.build.dockerfileInline });
    } else if (isRemoteContext(s.build.context)) {
      texts.set(s.name, { label: s.build.context, text: null });
    } else {
      const label = s.build.dockerfile ?? `${s.build.context}/Dockerfile`;
      const text = dockerfiles[label];
      if (text === undefined) throw new Error(`test: no Dockerfile ${label}`);
      texts.set(s.name, { label, text });
    }
  }
  return buildGraph(p, options.config ?? {}, texts, options.analyze);
}

/** The shape of a graph that table tests compare: per service its stages, needs and identical build. */
export function shapeOf(
  graph: BuildGraph,
): Record<string, { stages: string[]; dependsOn: string[]; sameBuildAs: string | null }> {
  return Object.fromEntries(
    [...graph.nodes.values()].map((n) => [
      n.name,
      { stages: n.stages.map((s) => s.name), dependsOn: n.dependsOn, sameBuildAs: n.sameBuildAs },
    ]),
  );
}
