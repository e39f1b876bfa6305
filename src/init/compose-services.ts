import { Document, isMap, parseDocument } from "yaml";
import { InputError } from "../errors.js";

/** A Compose service `init` adds: its build section, paths relative to the compose file's folder. */
export interface InitService {
  name: string;
  context: string;
  /** Relative to the context; left out when it is the context's `Dockerfile`. */
  dockerfile?: string;
}

const HEADER =
  " Services written by `dockbuild init`: each builds its package's Dockerfile up to the production stage.\n" +
  " Build them with `dockbuild`, check them with `dockbuild check`.";

/**
 * The text of the compose file with these services added (a new file when `existing` is undefined). The yaml
 * Document API keeps everything else as it was: comments, order, anchors. A service whose name is taken is
 * left alone unless `replace` is set; the names left alone are returned.
 */
export function addComposeServices(
  existing: { file: string; text: string } | undefined,
  services: readonly InitService[],
  replace: boolean,
): { text: string; added: string[]; kept: string[] } {
  const doc = existing === undefined ? new Document({}) : parseDocument(existing.text);
  if (existing && doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => ({
        location: { file: existing.file, line: e.linePos?.[0].line },
        message: `cannot add services to this compose file: ${e.message.split("\n")[0]}`,
        hint: "fix the YAML, or name another compose file with -f",
      })),
    );
  }
  if (existing === undefined) doc.commentBefore = HEADER;
  let map = doc.get("services");
  if (!isMap(map)) {
    map = doc.createNode({});
    doc.set("services", map);
  }
  const added: string[] = [];
  const kept: string[] = [];
  for (const service of services) {
    if (isMap(map) && map.has(service.name) && !replace) {
      kept.push(service.name);
      continue;
    }
    const build: Record<string, string> = { context: service.context };
    if (service.dockerfile) build.dockerfile = service.dockerfile;
    build.target = "production";
    doc.setIn(["services", service.name], doc.createNode({ build }));
    added.push(service.name);
  }
  return { text: doc.toString({ lineWidth: 0 }), added, kept };
}
