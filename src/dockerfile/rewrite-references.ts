import type { BuildArgs } from "./arg-scope.js";
import type { PlatformChoice } from "./platform-args.js";
import type { ReferenceSite } from "./reference-site.js";
import { familiarImageRef } from "../util/image-ref.js";
import { scanDockerfile } from "./scan-dockerfile.js";
import { lineStarts, offsetAt } from "./text-position.js";

/** The build the text is rewritten for: FROM lines with ARGs are matched after expansion with these. */
export interface RewriteOptions {
  buildArgs?: BuildArgs;
  platform?: PlatformChoice;
}

/**
 * Stand in for named contexts on engines that lack them (Docker 20.10's BuildKit fails with "unsupported
 * frontend capability moby.buildkit.frontend.contexts"): every reference to a context name — `FROM name`,
 * `COPY --from=name`, `RUN --mount=…,from=name` — is replaced by the image it stands for, and no other byte
 * of the text changes (comments, heredocs, continuations and the escape directive are kept as written).
 *
 * Names match as BuildKit matches a named context: after expansion, in short form (`docker.io/library/x:latest`
 * is `x`). A context named like a stage of the file wins over the stage, as it does in BuildKit ("when the
 * Dockerfile defines a stage with the same name it is overwritten"): references to that stage, by name or
 * by index, become the image, and the stage itself is left in place, unused. (A target stage that is itself
 * overridden cannot be emulated this way; it is built from its own instructions.)
 */
export function rewriteReferences(
  text: string,
  replacements: Readonly<Record<string, string>>,
  options: RewriteOptions = {},
): string {
  const byName = new Map(Object.entries(replacements).map(([name, image]) => [contextName(name), image]));
  if (byName.size === 0) return text;
  const { sites } = scanDockerfile(text, "", options.buildArgs ?? {}, options.platform);
  const starts = lineStarts(text);
  const edits: { start: number; end: number; image: string }[] = [];
  for (const site of sites) {
    const image = replacementFor(site, byName);
    if (image === undefined || !site.range) continue;
    edits.push({ start: offsetAt(starts, site.range.start), end: offsetAt(starts, site.range.end), image });
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.image + out.slice(edit.end);
  }
  return out;
}

function replacementFor(site: ReferenceSite, byName: ReadonlyMap<string, string>): string | undefined {
  switch (site.from.kind) {
    case "stage":
      return byName.get(site.from.stage);
    case "image":
      return byName.get(contextName(site.from.ref));
    default:
      return undefined;
  }
}

/** The name BuildKit looks a named context up by: the reference's familiar form (`docker.io/library/x` is `x`). */
export function contextName(ref: string): string {
  return familiarImageRef(ref);
}
