import type { Problem } from "../errors.js";
import type { Service, ServiceExtension } from "./types.js";
import { bool, normalizeBuild, type FileCheck, type NormalizeContext } from "./normalize-build.js";
import { get, isMap, isSeq, text, texts, toLocation, type YEntry, type YNode } from "./node.js";
import { resolveLocalPath } from "./paths.js";

export interface NormalizedServices {
  services: Service[];
  problems: Problem[];
  fileChecks: FileCheck[];
}

/** The merged YAML model becomes the `Service[]` every later step reads, with nothing left to interpret. */
export function normalizeServices(services: Map<string, YEntry>, ctx: NormalizeContext): NormalizedServices {
  const out: Service[] = [];
  const problems: Problem[] = [];
  const fileChecks: FileCheck[] = [];
  for (const [name, entry] of services) {
    const node = entry.value;
    if (!isMap(node)) continue;
    const service: Service = {
      name,
      image: text(get(node, "image")),
      profiles: texts(get(node, "profiles")),
      dependsOn: dependsOn(get(node, "depends_on")),
      extension: extension(get(node, "x-dockbuild")),
      location: toLocation(entry.key),
    };
    const build = node.entries.get("build");
    if (build && isMap(build.value)) {
      const normalized = normalizeBuild(name, build.value, ctx);
      service.build = normalized.spec;
      service.buildLocation = toLocation(build.key);
      problems.push(...normalized.problems);
      fileChecks.push(...normalized.fileChecks);
    }
    fileChecks.push(...envFileChecks(name, get(node, "env_file"), ctx.home));
    out.push(service);
  }
  return { services: out, problems, fileChecks };
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

/** Compose refuses to start when a required `env_file` is missing; so does loading here. */
function envFileChecks(service: string, node: YNode | undefined, home: string | undefined): FileCheck[] {
  const items = isSeq(node) ? node.items : node ? [node] : [];
  const checks: FileCheck[] = [];
  for (const item of items) {
    const pathNode = isMap(item) ? get(item, "path") : item;
    const file = text(pathNode);
    const required = get(item, "required");
    if (!pathNode || file === undefined || (required !== undefined && !bool(required))) continue;
    const absolute = resolveLocalPath(pathNode.origin.dir, file, home);
    checks.push({
      path: absolute,
      origin: pathNode.origin,
      message: `services.${service}.env_file: ${absolute} does not exist`,
      hint: "create the file, or mark it optional with `required: false`",
    });
  }
  return checks;
}
