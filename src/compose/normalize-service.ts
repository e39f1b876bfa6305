import type { Problem } from "../errors.js";
import type { Service, ServiceExtension } from "./types.js";
import { normalizeBuild, type FileCheck, type NormalizeContext } from "./normalize-build.js";
import { bool, checkImageReference, nonEmpty } from "./scalar-values.js";
import { get, isMap, isSeq, text, texts, toLocation, type YEntry, type YMap, type YNode } from "./node.js";
import { imageReferenceProblem } from "./image-reference.js";
import { addUnsetUse, type UnsetUses } from "./unset-variables.js";

export interface NormalizedServices {
  services: Service[];
  problems: Problem[];
  warnings: string[];
  fileChecks: FileCheck[];
  /** Unset variables in the `image`, `platform` and `profiles` of services that build, with where. */
  unset: UnsetUses;
}

/**
 * The merged YAML model becomes the `Service[]` every later step reads, with nothing left to interpret.
 * Run-time keys (`env_file`, `environment`, `command`…) are not read: building never needs them.
 */
export function normalizeServices(services: Map<string, YEntry>, ctx: NormalizeContext): NormalizedServices {
  const out: Service[] = [];
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const fileChecks: FileCheck[] = [];
  const unset: UnsetUses = new Map();
  const defaultPlatform = ctx.env.DOCKER_DEFAULT_PLATFORM || undefined;
  for (const [name, entry] of services) {
    const node = entry.value;
    if (!isMap(node)) continue;
    const buildEntry = node.entries.get("build");
    const build = buildEntry && isMap(buildEntry.value) ? buildEntry.value : undefined;
    const service: Service = {
      name,
      image: image(name, node, build !== undefined, problems, warnings),
      profiles: texts(get(node, "profiles")),
      dependsOn: dependsOn(get(node, "depends_on")),
      extension: extension(get(node, "x-dockbuild")),
      location: toLocation(entry.key),
      sources: [...(ctx.sources.get(name) ?? [])],
    };
    const imageEntry = node.entries.get("image");
    if (imageEntry) service.imageLocation = toLocation(imageEntry.value.origin);
    const platform = nonEmpty(get(node, "platform"));
    if (platform !== undefined) service.platform = platform;
    if (buildEntry && build) {
      for (const key of ["image", "platform", "profiles"]) noteUnset(unset, get(node, key));
      const platforms = buildPlatforms(name, node, build, defaultPlatform, problems);
      if (platforms.service !== undefined) service.platform = platforms.service;
      const normalized = normalizeBuild(name, build, platforms.build, ctx);
      service.build = normalized.spec;
      service.buildLocation = toLocation(buildEntry.key);
      problems.push(...normalized.problems);
      warnings.push(...normalized.warnings);
      fileChecks.push(...normalized.fileChecks);
    }
    out.push(service);
  }
  return { services: out, problems, warnings, fileChecks, unset };
}

/** The unset variables a value (or a list's items) was interpolated with, at their lines. */
function noteUnset(uses: UnsetUses, node: YNode | undefined): void {
  const scalars = isSeq(node) ? node.items : node ? [node] : [];
  for (const item of scalars) {
    if (item.kind !== "scalar") continue;
    for (const name of item.unset ?? []) addUnsetUse(uses, name, toLocation(item.origin));
  }
}

/**
 * The platforms a service is built for, as `docker compose build` decides them: `build.platforms` when
 * given (and it must then include `platform:` and `DOCKER_DEFAULT_PLATFORM`), else the service's
 * `platform:`, else `DOCKER_DEFAULT_PLATFORM`, else none (the engine's own).
 */
function buildPlatforms(
  name: string,
  node: YMap,
  build: YMap,
  defaultPlatform: string | undefined,
  problems: Problem[],
): { build: string[]; service?: string } {
  const listNode = get(build, "platforms");
  const list = texts(listNode).filter((platform) => platform !== "");
  const platformNode = get(node, "platform");
  const own = nonEmpty(platformNode);
  if (own !== undefined && platformNode) {
    if (list.length > 0 && !list.includes(own)) {
      problems.push({
        location: toLocation(platformNode.origin),
        message: `services.${name}: service.build.platforms MUST include service.platform ${JSON.stringify(own)}`,
        hint: `add ${own} to build.platforms, or change platform:`,
      });
    }
    return { build: list.length > 0 ? list : [own], service: own };
  }
  if (defaultPlatform === undefined) return { build: list };
  if (list.length > 0 && !list.includes(defaultPlatform)) {
    problems.push({
      location: toLocation((listNode ?? build).origin),
      message: `services.${name}.build.platforms: does not support value set by DOCKER_DEFAULT_PLATFORM: ${defaultPlatform}`,
      hint: `add ${defaultPlatform} to build.platforms, or unset DOCKER_DEFAULT_PLATFORM`,
    });
    return { build: list };
  }
  return { build: list.length > 0 ? list : [defaultPlatform], service: defaultPlatform };
}

/**
 * `image:`; "" is no image (the default name is used, as in Compose). A service that builds must name a
 * reference the Docker client accepts; another service's name only matters to whoever runs it, so it is
 * kept when valid (for hints) and otherwise left out without a word.
 */
function image(
  name: string,
  node: YMap,
  builds: boolean,
  problems: Problem[],
  warnings: string[],
): string | undefined {
  const imageNode = get(node, "image");
  const ref = nonEmpty(imageNode);
  if (ref === undefined) return undefined;
  if (!builds) return imageReferenceProblem(ref) === undefined ? ref : undefined;
  return checkImageReference(`services.${name}.image`, imageNode, problems, warnings) ? ref : undefined;
}

/** Run-time dependencies, from the list or the mapping form; never build edges. */
function dependsOn(node: YNode | undefined): string[] {
  if (isMap(node)) return [...node.entries.keys()];
  return texts(node);
}

function extension(node: YNode | undefined): ServiceExtension {
  const out: ServiceExtension = {};
  if (!isMap(node)) return out;
  const deps = [...texts(get(node, "depends_on")), ...texts(get(node, "dependsOn"))];
  if (node.entries.has("depends_on") || node.entries.has("dependsOn")) out.dependsOn = [...new Set(deps)];
  if (node.entries.has("skip")) out.skip = bool(get(node, "skip"));
  if (node.entries.has("groups")) out.groups = texts(get(node, "groups"));
  const builder = text(get(node, "builder"));
  if (builder !== undefined) out.builder = builder;
  if (node.entries.has("builderLabels") || node.entries.has("builder_labels")) {
    const labels = [...texts(get(node, "builderLabels")), ...texts(get(node, "builder_labels"))];
    out.builderLabels = [...new Set(labels)];
  }
  return out;
}
