import { InputError, formatLocation, type Problem } from "../errors.js";
import type { Project, Service } from "../compose/types.js";
import type { Config } from "../config/schema.js";
import {
  analysisAsFile,
  asFile,
  externalReferences,
  parseDockerfile,
  stagesForTarget,
  cacheMountSafety,
  type ParsedDockerfile,
} from "../dockerfile/index.js";
import type { DockerfileAnalysis, Stage } from "../dockerfile/types.js";
import { defaultImageName, normalizeImageRef } from "../util/image-ref.js";
import type { AnalyzeDockerfile } from "./analyze.js";
import { analyzeFresh } from "./analyze.js";
import { identicalBuildKey } from "./identical.js";
import { sequenceGraph } from "./sequence.js";
import type { BuildEdge, BuildGraph, ServiceNode } from "./types.js";
import { resolveServiceBuild } from "./resolve-build.js";
import { addWarning, formatWarning, type WarningList } from "./warnings.js";

/** The text of each built service's Dockerfile, read by the loader (null: a remote context, not readable here). */
export type DockerfileTexts = ReadonlyMap<string, { label: string; text: string | null }>;

type BuiltService = Service & { build: NonNullable<Service["build"]> };

/**
 * Work out, for every service with a build section, which stages it needs and which other services it needs
 * at build time. Every problem (a Dockerfile BuildKit refuses, unknown target, unknown `service:` context,
 * cycle) is collected before throwing; each warning is given once per cause with the services it applies to.
 */
export function buildGraph(
  project: Project,
  config: Config,
  dockerfiles: DockerfileTexts,
  analyze: AnalyzeDockerfile = analyzeFresh,
): BuildGraph {
  const problems: Problem[] = [];
  const warnings: WarningList = new Map();
  const nodes = new Map<string, ServiceNode>();
  const owners = new Map<string, string[]>();
  const built = project.services.filter((s): s is BuiltService => !!s.build);

  const resolved = built.map((service) => {
    const { build, args } = resolveServiceBuild(service, config.services?.[service.name]);
    // Compose names the image `<project>-<service>` when `image:` is missing or empty.
    const imageName = service.image || defaultImageName(project.name, service.name);
    const tags = [...new Set([imageName, ...build.tags])];
    // Names are valid references here: the loader checks them where they are written (compose/image-reference.ts).
    for (const tag of tags) {
      const key = normalizeImageRef(tag);
      const known = owners.get(key);
      if (!known) owners.set(key, [service.name]);
      else if (!known.includes(service.name)) known.push(service.name);
    }
    return { service, build, args, imageName, tags };
  });

  const analyses = analyzeAll(resolved, dockerfiles, analyze);
  const reported = new Set<string>();
  for (const { service, build, args, imageName, tags } of resolved) {
    const source = dockerfiles.get(service.name);
    if (!source) continue; // the loader already reported the missing Dockerfile
    // A remote context (git or HTTP URL): the Dockerfile is not readable here, so no stage is known.
    const analysis = analyses.get(service.name) ?? emptyAnalysis(source.label);
    for (const error of analysis.errors) {
      const key = `${formatLocation(error.location)}\0${error.message}`;
      if (!reported.has(key)) problems.push(error);
      reported.add(key);
    }
    for (const w of analysis.warnings) addWarning(warnings, w, service.name);
    let stages: Stage[] = [];
    try {
      if (source.text !== null && analysis.errors.length === 0)
        stages = stagesForTarget(analysis, build.target);
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
      if (warning) addWarning(warnings, { location: mount.location, message: warning }, service.name);
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

  const imageOwners = new Map([...owners].map(([image, names]) => [image, names[0] as string]));
  for (const node of nodes.values()) {
    node.edges = findEdges(node, imageOwners, nodes, problems);
    node.dependsOn = [...new Set(node.edges.map((e) => e.to))];
  }

  const firstByKey = new Map<string, string>();
  for (const node of nodes.values()) {
    const key = identicalBuildKey(node);
    const first = firstByKey.get(key);
    if (first === undefined) firstByKey.set(key, node.name);
    else node.sameBuildAs = first;
  }
  warnConflictingOwners(owners, nodes, warnings);

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
  return { project, nodes, warnings: [...warnings.values()].map(formatWarning), imageOwners };
}

/**
 * Analyze each service's Dockerfile for its own build args, parsing and analyzing each Dockerfile text once
 * per set of build args however many services and files share it (one large file shared by twenty services,
 * or one template copied into a thousand folders, is parsed and analyzed once; each other file gets a copy
 * that names it), and one text at a time, so that only one parse tree is held in memory.
 */
function analyzeAll(
  services: readonly { service: Service; build: BuiltService["build"] }[],
  dockerfiles: DockerfileTexts,
  analyze: AnalyzeDockerfile,
): Map<string, DockerfileAnalysis> {
  type Users = (typeof services)[number][];
  const byText = new Map<string, Map<string, Users>>();
  for (const entry of services) {
    const source = dockerfiles.get(entry.service.name);
    if (!source || source.text === null) continue;
    const files = byText.get(source.text) ?? new Map<string, Users>();
    byText.set(source.text, files);
    const users = files.get(source.label);
    if (users) users.push(entry);
    else files.set(source.label, [entry]);
  }
  const analyses = new Map<string, DockerfileAnalysis>();
  for (const [text, files] of byText) {
    let first: ParsedDockerfile | undefined;
    const byArgs = new Map<string, DockerfileAnalysis>();
    for (const [label, users] of files) {
      const parse = () => (first ? asFile(first, label) : (first = parseDockerfile(text, label)));
      const ofFile = new Map<string, DockerfileAnalysis>();
      for (const { service, build } of users) {
        // Args without a value stay in, so that a warning can say the environment lacks them.
        const argsKey = JSON.stringify(Object.entries(build.args).sort(([a], [b]) => (a < b ? -1 : 1)));
        let analysis = ofFile.get(argsKey);
        if (analysis === undefined) {
          const known = byArgs.get(argsKey);
          analysis = known ? analysisAsFile(known, label) : analyze(text, label, build.args, parse);
          if (!known) byArgs.set(argsKey, analysis);
          ofFile.set(argsKey, analysis);
        }
        analyses.set(service.name, analysis);
      }
    }
  }
  return analyses;
}

function emptyAnalysis(file: string): DockerfileAnalysis {
  return { file, stages: [], globalArgs: {}, warnings: [], errors: [] };
}

/** Two different builds that tag one image: whichever finishes last owns it, and FROM lines get the first. */
function warnConflictingOwners(
  owners: ReadonlyMap<string, string[]>,
  nodes: ReadonlyMap<string, ServiceNode>,
  warnings: WarningList,
): void {
  for (const [image, names] of owners) {
    const builds = names.filter((name) => nodes.get(name)?.sameBuildAs === null);
    if (builds.length < 2) continue;
    const first = nodes.get(builds[0] as string);
    addWarning(warnings, {
      location: first?.service.imageLocation ?? first?.service.location,
      message: `services ${builds.map((b) => `"${b}"`).join(", ")} build different images under one name, ${image}; the last build to finish owns it, and FROM ${image} waits for "${builds[0]}"`,
    });
  }
}

/**
 * The build-time edges of a node's stages: named `service:` contexts, images other services build, declared
 * ones. A service's own image is never one of its dependencies (`image: alpine` built `FROM alpine` uses the
 * existing image, as BuildKit does).
 */
export function findEdges(
  node: ServiceNode,
  byImage: ReadonlyMap<string, string>,
  nodes: ReadonlyMap<string, ServiceNode>,
  problems: Problem[],
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
  const own = new Set(node.tags.map(normalizeImageRef));
  for (const ref of externalReferences(node.stages)) {
    if (ref.ref in contexts) continue; // a named context stands in for it; handled above or external
    const image = normalizeImageRef(ref.ref);
    if (own.has(image)) continue;
    const other = byImage.get(image);
    if (other === undefined || other === node.name) continue;
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
