import { createHash } from "node:crypto";
import { canonicalSettings, type BuildSettings } from "../graph/build-settings.js";
import type { NamedContext } from "../graph/named-context.js";
import { canonicalJson } from "./canonical-json.js";

/** The image label that carries a build's input hash; an image whose label matches needs no rebuild. */
export const INPUT_HASH_LABEL = "dev.dockbuild.input-hash";

/** Bumped whenever what goes into a job hash changes, so that images built by an older dockbuild rebuild. */
export const INPUT_HASH_VERSION = 2;

/** The settings of a build that decide what it produces, and its named contexts (a planned job has them all). */
export type HashedBuild = BuildSettings & { namedContexts: Readonly<Record<string, NamedContext>> };

export interface JobHashInput {
  job: HashedBuild;
  /** `hashContext` of the job's context. */
  contextHash: string;
  dockerfileText: string;
  /** The input hashes of the jobs this one builds on. */
  upstreamHashes: string[];
  /** Image id of each external image the build uses (FROM, COPY --from, image contexts), by reference. */
  externalImageIds: Record<string, string>;
  /** Per named context: the content hash of a path, the upstream job's hash or the image id of an image. */
  namedContextHashes: Record<string, string>;
}

/**
 * Everything that decides what a build produces, hashed: equal hashes mean the image need not be rebuilt.
 * Tags, cache settings and the job's own name are left out (renaming does not rebuild); secret values never
 * enter, only their ids.
 */
export function computeJobHash(input: JobHashInput): string {
  const { job } = input;
  const labels = { ...job.labels };
  delete labels[INPUT_HASH_LABEL];
  const document = {
    version: INPUT_HASH_VERSION,
    context: input.contextHash,
    dockerfile: input.dockerfileText,
    // every setting BUILD_SETTINGS marks as content, in the form shared with the identical-build key
    settings: canonicalSettings({ ...job, labels }, "hash"),
    namedContexts: Object.fromEntries(
      Object.entries(job.namedContexts).map(([name, context]) => [
        name,
        describeNamedContext(context, input.namedContextHashes[name]),
      ]),
    ),
    upstream: [...input.upstreamHashes].sort(),
    externalImages: input.externalImageIds,
  };
  return createHash("sha256").update(canonicalJson(document)).digest("hex");
}

function describeNamedContext(
  context: NamedContext,
  hash: string | undefined,
): Record<string, string | null> {
  switch (context.kind) {
    case "path":
      return { kind: "path", hash: hash ?? null };
    case "image":
      // An upstream's hash or an image id says what the image holds; the name alone only when neither is known.
      return hash === undefined ? { kind: "image", ref: context.ref } : { kind: "image", hash };
    case "url":
      return { kind: "url", url: context.url };
  }
}
