import { normalizeImageRef } from "../../util/image-ref.js";
import type { StageBase } from "../../dockerfile/types.js";
import { findingAt, type ServiceView } from "../service-view.js";
import type { RuleFinding } from "../types.js";

/**
 * DB008: an external image used with no tag or with `latest` and no digest (`FROM node`, `COPY --from=alpine`):
 * each pull may bring another version, which also throws away every cached layer built on it. Images other
 * services of the project build, and named contexts, are not external.
 */
export function unpinnedImage(view: ServiceView): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const contexts = new Set(Object.keys(view.node.build.additionalContexts));
  const check = (from: StageBase, line: number | undefined, written: string) => {
    if (from.kind !== "image" || contexts.has(from.ref)) return;
    if (view.imageOwners.has(normalizeImageRef(from.ref))) return;
    const tag = tagOf(from.ref);
    if (from.ref.includes("@") || (tag !== undefined && tag !== "latest")) return;
    const repository = tag === undefined ? from.ref : from.ref.slice(0, -(tag.length + 1));
    findings.push(
      findingAt(
        view,
        line ?? 1,
        "DB008",
        `${written} uses ${from.ref}${tag === undefined ? " with no tag (latest)" : ""}: each pull may bring another version and rebuild every layer on it`,
        `pin a version, or a digest for reproducible builds:\n${written.replace(from.ref, `${repository}:<version>`)}   # or ${repository}@sha256:<digest>`,
      ),
    );
  };
  for (const stage of view.stages) {
    check(stage.base, stage.location.line, `FROM ${stage.base.kind === "image" ? stage.base.ref : ""}`);
    for (const source of stage.sources) {
      const flag = source.instruction === "COPY" ? "COPY --from" : "RUN --mount=…,from";
      check(source.from, source.location.line, `${flag}=${source.raw}`);
    }
  }
  return findings;
}

function tagOf(ref: string): string | undefined {
  const colon = ref.lastIndexOf(":");
  return colon > ref.lastIndexOf("/") ? ref.slice(colon + 1) : undefined;
}
