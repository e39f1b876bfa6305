import { InputError, type Problem } from "../errors.js";
import type { Config } from "../config/schema.js";
import { normalizeImageRef } from "../util/image-ref.js";
import { closure } from "../graph/sequence.js";
import type { BuildGraph } from "../graph/types.js";
import { closestNames } from "../util/closest.js";

export interface SelectOptions {
  /** Service or group names; empty or `["all"]` means every service that is active. */
  names: string[];
  /** Do not add build-time dependencies (their existing images are used). */
  noDeps?: boolean;
}

export interface Selection {
  /** Services to build, in the graph's order. */
  services: string[];
  /** Services that were asked for by name (or every active one for `all`). */
  requested: string[];
}

/** Every group: the config's `groups` plus groups named in services' `x-dockbuild.groups`. */
export function collectGroups(graph: BuildGraph, config: Config): Map<string, string[]> {
  const groups = new Map<string, string[]>(Object.entries(config.groups ?? {}));
  for (const node of graph.nodes.values()) {
    for (const group of node.service.extension.groups ?? []) {
      groups.set(group, [...(groups.get(group) ?? []), node.name]);
    }
  }
  return groups;
}

/** Whether a service is enabled by the active profiles, the way Compose decides it. */
export function isProfileActive(serviceProfiles: readonly string[], active: readonly string[]): boolean {
  if (serviceProfiles.length === 0) return true;
  if (active.includes("*")) return true;
  return serviceProfiles.some((p) => active.includes(p));
}

/** What a service without a build runs: an image another service builds (name it), or one none does. */
function imageHint(graph: BuildGraph, image: string): string {
  const builder = graph.imageOwners.get(normalizeImageRef(image));
  return builder === undefined
    ? `it runs the image "${image}", which no service of this project builds`
    : `it runs the image "${image}", which service "${builder}" builds: name "${builder}" to build it`;
}

/** A profile and the services with a build section that only it (or another inactive one) enables. */
export interface HiddenProfile {
  profile: string;
  services: string[];
}

/**
 * The services with a build section that `all` leaves out because none of their profiles is active, by
 * profile (a service with two profiles is listed under both), so that a plan can say which `--profile` shows them.
 */
export function servicesBehindProfiles(graph: BuildGraph): HiddenProfile[] {
  const byProfile = new Map<string, string[]>();
  for (const node of graph.nodes.values()) {
    const { profiles } = node.service;
    if (node.service.extension.skip || isProfileActive(profiles, graph.project.activeProfiles)) continue;
    for (const profile of profiles) byProfile.set(profile, [...(byProfile.get(profile) ?? []), node.name]);
  }
  return [...byProfile].map(([profile, services]) => ({ profile, services }));
}

/** Turn what was asked on the command line into the services to build, with their build-time dependencies. */
export function selectServices(graph: BuildGraph, config: Config, options: SelectOptions): Selection {
  const groups = collectGroups(graph, config);
  const names = options.names.filter((n) => n !== "all");
  const problems: Problem[] = [];
  let requested: string[];

  if (names.length === 0) {
    requested = [...graph.nodes.values()]
      .filter(
        (n) => isProfileActive(n.service.profiles, graph.project.activeProfiles) && !n.service.extension.skip,
      )
      .map((n) => n.name);
  } else {
    const seen = new Set<string>();
    const expand = (name: string, via: string[]) => {
      if (graph.nodes.has(name)) return void seen.add(name);
      const group = groups.get(name);
      if (group) {
        if (via.includes(name)) {
          problems.push({ message: `group "${name}" contains itself: ${[...via, name].join(" → ")}` });
          return;
        }
        for (const member of group) expand(member, [...via, name]);
        return;
      }
      const plain = graph.project.services.find((s) => s.name === name);
      if (plain) {
        problems.push({
          location: plain.location,
          message: `service "${name}" has no build section, so there is nothing to build`,
          hint: plain.image ? imageHint(graph, plain.image) : "add a build: section to build an image for it",
        });
        return;
      }
      const known = [...graph.nodes.keys(), ...groups.keys()];
      const close = closestNames(name, known);
      problems.push({
        message:
          via.length > 0
            ? `group "${via.at(-1)}" names unknown service "${name}"`
            : `unknown service or group "${name}"`,
        hint:
          close.length > 0
            ? `did you mean ${close.map((c) => `"${c}"`).join(" or ")}?`
            : `known: ${known.join(", ")}`,
      });
    };
    for (const name of names) expand(name, []);
    requested = [...graph.nodes.keys()].filter((n) => seen.has(n));
  }
  if (problems.length > 0) throw new InputError(problems);

  if (options.noDeps) return { services: requested, requested };
  const deps = new Map([...graph.nodes.values()].map((n) => [n.name, n.dependsOn]));
  return { services: [...closure(deps, requested)], requested };
}
