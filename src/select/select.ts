import { InputError, type Problem } from "../errors.js";
import { isProfileActive } from "../compose/profiles.js";
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
  /** Services that were asked for by name (or, for `all`, every active one and what those need). */
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

export { isProfileActive };

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
  const planned = new Set(allServices(graph));
  const byProfile = new Map<string, string[]>();
  for (const node of graph.nodes.values()) {
    if (node.service.extension.skip || planned.has(node.name)) continue;
    for (const profile of node.service.profiles)
      byProfile.set(profile, [...(byProfile.get(profile) ?? []), node.name]);
  }
  return [...byProfile].map(([profile, services]) => ({ profile, services }));
}

/**
 * What `all` builds, in the graph's order: every service whose profiles are active and that `x-dockbuild.skip`
 * does not leave out, and what those need at build time whatever its own profiles or skip say (as bake builds
 * a target's `target:` contexts): a build that needs an image gets it built first, `--no-deps` or not, so
 * that plan, `--no-deps` and matrix give one answer.
 */
export function allServices(graph: BuildGraph): string[] {
  const active = [...graph.nodes.values()]
    .filter(
      (n) => isProfileActive(n.service.profiles, graph.project.activeProfiles) && !n.service.extension.skip,
    )
    .map((n) => n.name);
  const deps = new Map([...graph.nodes.values()].map((n) => [n.name, n.dependsOn]));
  return [...closure(deps, active)];
}

/** Turn what was asked on the command line into the services to build, with their build-time dependencies. */
export function selectServices(graph: BuildGraph, config: Config, options: SelectOptions): Selection {
  const groups = collectGroups(graph, config);
  const names = options.names.filter((n) => n !== "all");
  const problems: Problem[] = [];
  let requested: string[];

  if (names.length === 0) requested = allServices(graph);
  else {
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
