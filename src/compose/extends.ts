import type { Problem } from "../errors.js";
import { mergeNodes } from "./merge.js";
import {
  get,
  isMap,
  map,
  text,
  toLocation,
  type Origin,
  type YEntry,
  type YMap,
  type YNode,
} from "./node.js";
import { resolveLocalPath } from "./paths.js";

// `extends`: https://github.com/compose-spec/compose-spec/blob/v2.6.0/05-services.md#extends

/** One compose file after interpolation and form normalization. */
export interface ComposeFile {
  /** Absolute path. */
  path: string;
  root: YMap | undefined;
}

/** Gives a file `extends: file:` names; `error` when it could not be read or parsed. */
export type FileLookup = (path: string) => ComposeFile | { error: string };

export interface ExtendedServices {
  services: Map<string, YEntry>;
  /** Per service, the other files its `extends` chain read (for `--affected`). */
  files: Map<string, string[]>;
  problems: Problem[];
}

export interface ExtendsReference {
  /** Absolute path of the file referenced. */
  path: string;
  origin: Origin;
}

/** A file's `services:` entries; none when the key is absent or not a mapping. */
export function servicesOf(file: ComposeFile): Map<string, YEntry> {
  const services = get(file.root, "services");
  return isMap(services) ? services.entries : new Map();
}

/** The loader must read every file `extends: file:` names before the pure resolution can run. */
export function extendsReferences(file: ComposeFile, home?: string): ExtendsReference[] {
  const refs: ExtendsReference[] = [];
  for (const entry of servicesOf(file).values()) {
    const fileNode = get(get(entry.value, "extends"), "file");
    const value = text(fileNode);
    if (fileNode && value !== undefined) {
      refs.push({ path: resolveLocalPath(fileNode.origin.dir, value, home), origin: fileNode.origin });
    }
  }
  return refs;
}

/**
 * `extends` copies another service, possibly from another file whose relative paths stay its own
 * (each node keeps its origin folder); chains are followed and cycles reported, not looped on.
 */
export function resolveExtends(file: ComposeFile, lookup: FileLookup, home?: string): ExtendedServices {
  const problems: Problem[] = [];
  const resolved = new Map<string, YEntry>();
  const filesOf = new Map<string, string[]>();
  const stack: { key: string; name: string }[] = [];

  const problem = (origin: Origin, message: string, hint: string): void => {
    problems.push({ location: toLocation(origin), message, hint });
  };

  const resolve = (owner: ComposeFile, name: string, entry: YEntry): YEntry => {
    const id = `${owner.path}\0${name}`;
    const done = resolved.get(id);
    if (done) return done;
    const extendsNode = get(entry.value, "extends");
    if (!extendsNode || !isMap(entry.value)) return entry;
    const own = new Map(entry.value.entries);
    own.delete("extends");
    const stripped: YEntry = { key: entry.key, value: map(own, entry.value.origin) };
    resolved.set(id, stripped);

    const serviceNode = isMap(extendsNode) ? get(extendsNode, "service") : extendsNode;
    const ref = text(serviceNode);
    if (ref === undefined) return stripped;
    let target = owner;
    const fileNode = get(extendsNode, "file");
    const fileRef = text(fileNode);
    if (fileNode && fileRef !== undefined) {
      const found = lookup(resolveLocalPath(fileNode.origin.dir, fileRef, home));
      if ("error" in found) {
        problem(
          fileNode.origin,
          `services.${name}.extends.file: ${found.error}`,
          `the path is relative to ${fileNode.origin.dir}`,
        );
        return stripped;
      }
      target = found;
    }
    const baseEntry = servicesOf(target).get(ref);
    if (!baseEntry) {
      problem(
        (serviceNode ?? extendsNode).origin,
        `services.${name}.extends: service "${ref}" not found in ${target.path}`,
        fileRef === undefined
          ? "check the service name, or add file: when it is defined in another file"
          : "check the service name",
      );
      return stripped;
    }
    const targetId = `${target.path}\0${ref}`;
    if (target !== owner) filesOf.set(id, [target.path]);
    const loopAt = stack.findIndex((frame) => frame.key === targetId);
    if (loopAt >= 0 || targetId === id) {
      const chain = [...(loopAt < 0 ? [] : stack.slice(loopAt).map((frame) => frame.name)), name, ref];
      problem(
        extendsNode.origin,
        `services.${name}.extends: circular reference: ${chain.join(" -> ")}`,
        "break the cycle: a service cannot extend itself, directly or through others",
      );
      return stripped;
    }
    stack.push({ key: id, name });
    const base = resolve(target, ref, baseEntry);
    stack.pop();
    filesOf.set(id, [...new Set([...(filesOf.get(id) ?? []), ...(filesOf.get(targetId) ?? [])])]);
    const value: YNode = mergeNodes(base.value, stripped.value, ["services", name]) ?? stripped.value;
    const result: YEntry = { key: entry.key, value };
    resolved.set(id, result);
    return result;
  };

  const services = new Map<string, YEntry>();
  const files = new Map<string, string[]>();
  for (const [name, entry] of servicesOf(file)) {
    services.set(name, resolve(file, name, entry));
    const extended = filesOf.get(`${file.path}\0${name}`);
    if (extended) files.set(name, extended);
  }
  return { services, files, problems };
}
