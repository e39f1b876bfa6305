import { get, isMap, isScalar, isSeq, text, texts, toLocation, type YEntry, type YNode } from "./node.js";
import type { ComposeProblem } from "./problem-causes.js";
import { isProfileActive } from "./profiles.js";
import { nonEmpty } from "./scalar-values.js";

// Compose's consistency check of a loaded project (compose-go loader/validate.go, checkConsistency), run
// after profiles are applied, so only on enabled services: `docker compose build` refuses a project that
// fails it. Every problem is collected here, each at its own line. Checked: what a service refers to by name
// (networks, named volumes, secrets, configs, models, depends_on, network_mode: service:), network_mode
// beside networks, and healthcheck.test's first word; build secrets and platforms are checked with the build
// (normalize-build.ts). Not checked: a service with neither image nor build (kept as a service, nothing to
// build), and run-time settings that only conflict at run time (scale, deploy.replicas and limits, mounts).

/** Top-level sections whose entries services refer to by name. */
export type ResourceKind = "networks" | "volumes" | "secrets" | "configs" | "models";

/** Every name declared at the top level, per section (the project's own files and what they include). */
export type Declared = Record<ResourceKind, Set<string>>;

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  "networks",
  "volumes",
  "secrets",
  "configs",
  "models",
];

/** A reference from a service to something it needs declared, at the line where it is written. */
interface Reference {
  name: string;
  node: YNode;
  /** Where it is under the service: `secrets[0]`, `networks.front`. */
  key: string;
}

/** The problems Compose's consistency check finds in the services the active profiles enable. */
export function checkConsistency(
  services: ReadonlyMap<string, YEntry>,
  declared: Declared,
  activeProfiles: readonly string[],
): ComposeProblem[] {
  const problems: ComposeProblem[] = [];
  const enabled = new Set(
    [...services]
      .filter(([, e]) => isProfileActive(texts(get(e.value, "profiles")), activeProfiles))
      .map(([n]) => n),
  );
  for (const [service, entry] of services) {
    if (!enabled.has(service)) continue;
    const node = entry.value;
    // Every problem is about a key of the service: one written once for several (an anchor) is said once.
    const problem = (at: YNode | YEntry["key"], key: string, message: string, hint: string): void =>
      void problems.push({
        location: toLocation("origin" in at ? at.origin : at),
        message: `services.${service}.${key}: ${message}`,
        hint,
        service,
      });
    const undefinedRef = (kind: string, ref: Reference, section: ResourceKind): void =>
      problem(
        ref.node,
        ref.key,
        `refers to undefined ${kind} ${ref.name}`,
        `declare it under the top-level ${section}: (with external: true for one made outside this project)`,
      );

    const networks = namesOf(get(node, "networks"), "networks");
    for (const ref of networks)
      if (ref.name !== "default" && !declared.networks.has(ref.name))
        undefinedRef("network", ref, "networks");
    const networkMode = get(node, "network_mode");
    if (networkMode && nonEmpty(networkMode) !== undefined && networks.length > 0) {
      problem(
        networkMode,
        "network_mode",
        "network_mode and networks are mutually exclusive",
        "keep one of them",
      );
    }
    const modeService = text(networkMode)?.match(/^service:(.*)$/)?.[1];
    if (networkMode && modeService !== undefined && !enabled.has(modeService)) {
      problem(
        networkMode,
        "network_mode",
        `service "${modeService}" not found for network_mode 'service:${modeService}'`,
        services.has(modeService)
          ? `"${modeService}" is behind inactive profiles: activate one with --profile`
          : "name a service of this project",
      );
    }
    for (const ref of volumeSources(get(node, "volumes")))
      if (!declared.volumes.has(ref.name)) undefinedRef("volume", ref, "volumes");
    for (const ref of sourcesOf(get(node, "secrets"), "secrets"))
      if (!declared.secrets.has(ref.name)) undefinedRef("secret", ref, "secrets");
    for (const ref of sourcesOf(get(node, "configs"), "configs"))
      if (!declared.configs.has(ref.name)) undefinedRef("config", ref, "configs");
    for (const ref of namesOf(get(node, "models"), "models"))
      if (!declared.models.has(ref.name)) undefinedRef("model", ref, "models");
    const dependsOn = get(node, "depends_on");
    for (const [other, dep] of isMap(dependsOn) ? dependsOn.entries : []) {
      if (enabled.has(other)) continue;
      const disabled = services.has(other);
      // A dependency a profile disables is fine when it is not required (compose-go: ErrDisabled, !Required).
      if (disabled && text(get(dep.value, "required")) === "false") continue;
      const profiles = texts(get(services.get(other)?.value, "profiles")).join(", ");
      problem(
        dep.key,
        "depends_on",
        `depends on undefined service "${other}"`,
        disabled
          ? `"${other}" is behind inactive profiles (${profiles}): activate one with --profile, or set required: false`
          : "name a service of this project, or remove it from depends_on",
      );
    }
    const test = get(get(node, "healthcheck"), "test");
    const first = isSeq(test) ? test.items[0] : undefined;
    const word = text(first);
    if (first && word !== undefined && !["CMD", "CMD-SHELL", "NONE"].includes(word)) {
      problem(
        first,
        "healthcheck.test",
        'must start either by "CMD", "CMD-SHELL" or "NONE"',
        'write ["CMD", "program", "arg"…], ["CMD-SHELL", "command"] or a string for the shell',
      );
    }
  }
  return problems;
}

/** The names a list (`[a, b]`) or a mapping (`{a: {…}}`) gives. */
function namesOf(node: YNode | undefined, key: string): Reference[] {
  if (isMap(node))
    return [...node.entries].map(([name, e]) => ({ name, node: e.value, key: `${key}.${name}` }));
  if (!isSeq(node)) return [];
  return node.items.flatMap((item, i) => {
    const name = text(item);
    return name === undefined ? [] : [{ name, node: item, key: `${key}[${i}]` }];
  });
}

/** `secrets:` and `configs:` of a service: names, or mappings with a `source`. */
function sourcesOf(node: YNode | undefined, key: string): Reference[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item, i) => {
    const name = isScalar(item) ? text(item) : text(get(item, "source"));
    return name === undefined || name === "" ? [] : [{ name, node: item, key: `${key}[${i}]` }];
  });
}

/** The named volumes a service mounts: `name:/path` (not a path on the host), or `type: volume` with a source. */
function volumeSources(node: YNode | undefined): Reference[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item, i): Reference[] => {
    const key = `volumes[${i}]`;
    if (isMap(item)) {
      const source = text(get(item, "source"));
      return text(get(item, "type")) === "volume" && source ? [{ name: source, node: item, key }] : [];
    }
    const source = shortVolumeSource(text(item) ?? "");
    return source === undefined || isHostPath(source) ? [] : [{ name: source, node: item, key }];
  });
}

/** The source of `source:target[:mode]` as compose-go's ParseVolume reads it; undefined for `target` alone. */
function shortVolumeSource(spec: string): string | undefined {
  if (spec.length <= 2) return undefined;
  // A Windows drive (`C:`) is part of the path, not a separator.
  const from = /^[A-Za-z]:/.test(spec) ? 2 : 0;
  const colon = spec.indexOf(":", from);
  return colon < 0 ? undefined : spec.slice(0, colon) || undefined;
}

/** compose-go's isFilePath: `.`, `/`, `~`, a Windows pipe (`\\`) or drive (`C:`) make a bind mount. */
function isHostPath(source: string): boolean {
  return /^[./~]/.test(source) || source.startsWith("\\\\") || /^[A-Za-z]:/.test(source);
}
