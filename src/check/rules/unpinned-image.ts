import { normalizeImageRef } from "../../util/image-ref.js";
import type { StageBase } from "../../dockerfile/types.js";
import { findingAt, type ServiceView } from "../service-view.js";
import { linesOf } from "../source-edits.js";
import type { RuleFinding } from "../types.js";

/**
 * DB008: an external image used with no tag or with `latest` and no digest (`FROM node`, `COPY --from=alpine`):
 * each pull may bring another version, which also throws away every cached layer built on it. Images other
 * services of the project build, and named contexts, are not external.
 */
export function unpinnedImage(view: ServiceView): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const contexts = new Set(Object.keys(view.node.build.additionalContexts));
  const check = (from: StageBase, line: number | undefined, via: string, written: string) => {
    if (from.kind !== "image" || contexts.has(from.ref)) return;
    if (view.imageOwners.has(normalizeImageRef(from.ref))) return;
    const tag = tagOf(from.ref);
    if (from.ref.includes("@") || (tag !== undefined && tag !== "latest")) return;
    const repository = tag === undefined ? from.ref : from.ref.slice(0, -(tag.length + 1));
    const pinned = `${repository}:<version>`;
    const intro = `pin a version (or a digest, ${repository}@sha256:<digest>, for reproducible builds)`;
    const text = linesOf(view.model, line ?? 1)[0] ?? "";
    const fixed = written.includes("$") ? text : replaceReference(text, via, written, pinned);
    findings.push(
      findingAt(
        view,
        line ?? 1,
        "DB008",
        `${via === "FROM" ? "FROM " : `${via}=`}${written.includes("$") ? `${written} (${from.ref})` : written} uses ${from.ref}${tag === undefined ? " with no tag (latest)" : ""}: each pull may bring another version and rebuild every layer on it`,
        fixed === text
          ? `${intro}${written.includes("$") ? `, where ${written} gets its value (the ARG's default or the build arg): ${pinned}` : ""}`
          : `${intro}:\n${fixed}`,
      ),
    );
  };
  for (const stage of view.stages) {
    check(stage.base, stage.location.line, "FROM", stage.rawFrom);
    for (const source of stage.sources) {
      const via = source.instruction === "COPY" ? "COPY --from" : "RUN --mount=…,from";
      check(source.from, source.location.line, via, source.raw);
    }
  }
  return findings;
}

/** The line with the reference (after FROM, or in `from=`) replaced. */
function replaceReference(line: string, via: string, written: string, pinned: string): string {
  const ref = written.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return via === "FROM"
    ? line.replace(new RegExp(`^(\\s*from\\s+(?:--\\S+\\s+)*)${ref}(?=\\s|$)`, "i"), `$1${pinned}`)
    : line.replace(new RegExp(`(\\bfrom=)(["']?)${ref}\\2(?=[\\s,]|$)`, "i"), `$1$2${pinned}$2`);
}

function tagOf(ref: string): string | undefined {
  const colon = ref.lastIndexOf(":");
  return colon > ref.lastIndexOf("/") ? ref.slice(colon + 1) : undefined;
}
