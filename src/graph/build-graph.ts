import { InputError, type Problem } from "../errors.js";
import type { Project, Service } from "../compose/types.js";
import type { Config } from "../config/schema.js";
import {
  analyzeDockerfile,
  externalReferences,
  stagesForTarget,
  cacheMountSafety,
} from "../dockerfile/index.js";
import type { Stage } from "../dockerfile/types.js";
import { defaultImageName, normalizeImageRef } from "../util/image-ref.js";
import type { AnalyzeDockerfile } from "./analysis-cache.js";
import { identicalBuildKey } from "./identical.js";
import { sequenceGraph } from "./sequence.js";
import type { BuildEdge, BuildGraph, ServiceNode } from "./types.js";
import { resolveServiceBuild } from "./resolve-build.js";

/** The text of each built service's Dockerfile, read by the loader. */
export type DockerfileTexts = ReadonlyMap<string, { label: string; text: string | null }>;

/**
 * Work out, for every service with a build section, which stages it needs and which other services it needs
 * at build time. Every problem (unknown target, unknown `service:` context, cycle) is collected before throwing.
 */
export function buildGraph(
  project: Project,
  config: Config,
  dockerfiles: DockerfileTexts,
  analyze: AnalyzeDockerfile = analyzeDockerfile,
): BuildGraph {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const nodes = new Map<string, ServiceNode>();
  const byImage = new Map<string, string>();
  const built = project.services.filter(
    (s): s is Service & { build: NonNullable<Service["build"]> } => !!s.build,
  );

  for (const service of built) {
    const { build, args } = resolveServiceBuild(service, config.services?.[service.name]);
    const imageName = service.image ?? defaultImageName(project.name, service.name);
    const tags = [...new Set([imageName, ...build.tags])];
    for (const tag of tags) {
      const key = normalizeImageRef(tag);
      if (!byImage.has(key)) byImage.set(key, service.name);
    }
    const source = dockerfiles.get(service.name);
    if (!source) continue; // the loader already reported the missing Dockerfile
    // A remote context (git or HTTP URL): the Dockerfile is not readable here, so no stage is known.
    const analysis =
      source.text === null
        ? { file: source.label, stages: [], globalArgs: {}, warnings: [] }
        : analyze(source.text, source.label, args);
    for (const w of analysis.warnings) {
      warnings.push(`${w.location.file}:${w.location.line}: service "${service.name}": ${w.message}`);
    }
    let stages: Stage[] = [];
    try {
      if (source.text !== null) stages = stagesForTarget(analysis, build.target);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      for (const p of error.problems) {
        problems.push({
          ...p,
          message: `service "${service.name}": ${p.message}`,
          location: p.location ?? service.buildLocation,
        });
      }
    }
    const cacheMounts = stages.flatMap((s) => s.cacheMounts);
    for (const mount of cacheMounts) {
      const warning = cacheMountSafety(mount);
      if (warning)
        warnings.push(`${mount.location.file}:${mount.location.line}: service "${service.name}": ${warning}`);
    }
    nodes.set(service.name, {
      name: service.name,
      service,
      build,
      args,
      imageName,
      tags,
      dockerfileLabel: source.label,
      dockerfileText: source.text ?? "",
      analysis,
      stages,
      cacheMounts,
      edges: [],
      dependsOn: [],
      sameBuildAs: null,
    });
  }

  for (const node of nodes.values()) {
    node.edges = findEdges(node, byImage, nodes, problems, warnings);
    node.dependsOn = [...new Set(node.edges.map((e) => e.to))];
  }

  const firstByKey = new Map<string, string>();
  for (const node of nodes.values()) {
    const key = identicalBuildKey(node);
    const first = firstByKey.get(key);
    if (first === undefined) firstByKey.set(key, node.name);
    else node.sameBuildAs = first;
  }

  const { cycles } = sequenceGraph(new Map([...nodes.values()].map((n) => [n.name, n.dependsOn])));
  for (const cycle of cycles) {
    const first = nodes.get(cycle[0] ?? "");
    const edge = first?.edges.find((e) => e.to === cycle[1]);
    problems.push({
      location: edge?.location ?? first?.service.buildLocation,
      message: `build dependency cycle: ${cycle.join(" → ")}`,
      hint: "each service in a cycle needs the image of the next one; break the cycle by building one of them from an image no service in the cycle builds",
    });
  }
  if (problems.length > 0) throw new InputError(problems);
  return { project, nodes, warnings, imageOwners: byImage };
}

/** The build-time edges of a node's stages: named `service:` contexts, images other services build, declared ones. */
export function findEdges(
  node: ServiceNode,
  byImage: ReadonlyMap<string, string>,
  nodes: ReadonlyMap<string, ServiceNode>,
  problems: Problem[],
  warnings: string[],
): BuildEdge[] {
  const edges: BuildEdge[] = [];
  const contexts = node.build.additionalContexts;
  for (const [name, value] of Object.entries(contexts)) {
    if (!value.startsWith("service:")) continue;
    const target = value.slice("service:".length);
    if (nodes.has(target))
      edges.push({ to: target, kind: "context", ref: name, location: node.service.buildLocation });
    else {
      problems.push({
        location: node.service.buildLocation,
        message: `service "${node.name}": additional context "${name}" names service "${target}", which has no build section`,
        hint: `known services with a build: ${[...nodes.keys()].join(", ")}`,
      });
    }
  }
  for (const ref of externalReferences(node.stages)) {
    if (ref.ref in contexts) continue; // a named context stands in for it; handled above or external
    const other = byImage.get(normalizeImageRef(ref.ref));
    if (other === undefined) continue;
    if (other === node.name) {
      warnings.push(
        `${ref.location.file}:${ref.location.line}: service "${node.name}" uses its own image "${ref.ref}"; the existing image is used`,
      );
      continue;
    }
    edges.push({ to: other, kind: ref.via, ref: ref.ref, location: ref.location });
  }
  for (const declared of node.service.extension.dependsOn ?? []) {
    if (nodes.has(declared))
      edges.push({ to: declared, kind: "declared", ref: declared, location: node.service.location });
    else {
      problems.push({
        location: node.service.location,
        message: `service "${node.name}": x-dockbuild.dependsOn names "${declared}", which is not a service with a build section`,
      });
    }
  }
  return edges;
}
