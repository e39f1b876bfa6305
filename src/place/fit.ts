import type { BuilderRequest, BuilderSlots, Placeable } from "./types.js";

/** Why this builder cannot take this build (a clause after "it"), or undefined when it can. */
export function whyNotFit(
  job: Pick<Placeable, "platforms" | "builderRequest">,
  builder: BuilderSlots,
): string | undefined {
  const request = job.builderRequest;
  if (request?.builder !== undefined && request.builder !== builder.name)
    return `is not ${request.builder}, the builder the build asks for`;
  const missing = (request?.labels ?? []).filter((label) => !builder.labels.includes(label));
  if (missing.length > 0) return `lacks the label${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`;
  if (builder.platforms.length > 0) {
    const known = new Set(builder.platforms.map(normalizePlatform));
    const unknown = job.platforms.filter((p) => !known.has(normalizePlatform(p)));
    if (unknown.length > 0) return `does not build ${unknown.join(", ")}`;
  }
  return undefined;
}

/** The builders that can take this build, in the order given. */
export function fittingBuilders(
  job: Pick<Placeable, "platforms" | "builderRequest">,
  builders: readonly BuilderSlots[],
): BuilderSlots[] {
  return builders.filter((builder) => whyNotFit(job, builder) === undefined);
}

/** `linux/arm64/v8` is `linux/arm64`, `linux/amd64/v1` is `linux/amd64`; case does not matter. */
export function normalizePlatform(platform: string): string {
  const lower = platform.trim().toLowerCase();
  return lower.replace(/^(linux\/arm64)\/v8$/, "$1").replace(/^(linux\/amd64)\/v1$/, "$1");
}

/** A service's request: the config's `services:` entry wins over `x-dockbuild` for the builder; labels add up. */
export function mergeBuilderRequest(
  ...sources: readonly ({ builder?: string; builderLabels?: readonly string[] } | undefined)[]
): BuilderRequest | undefined {
  const builder = sources.find((s) => s?.builder !== undefined)?.builder;
  const labels = [...new Set(sources.flatMap((s) => s?.builderLabels ?? []))];
  if (builder === undefined && labels.length === 0) return undefined;
  return { ...(builder !== undefined ? { builder } : {}), labels };
}

/**
 * What is wrong with a service's request against the configured builders: a builder that does not exist, or
 * labels no builder carries (alone or together). Empty when some builder can take it.
 */
export function requestProblems(
  request: BuilderRequest,
  builders: readonly BuilderSlots[],
): { key: "builder" | "builderLabels"; message: string; hint: string }[] {
  const names = builders.map((b) => b.name);
  const known = names.length > 0 ? `the builders are ${names.join(", ")}` : "the config lists no `builders:`";
  if (request.builder !== undefined && !names.includes(request.builder))
    return [
      {
        key: "builder",
        message: `asks for builder "${request.builder}", which the config does not list`,
        hint: known,
      },
    ];
  const candidates = builders.filter((b) => request.builder === undefined || b.name === request.builder);
  if (
    request.labels.length > 0 &&
    !candidates.some((b) => request.labels.every((l) => b.labels.includes(l)))
  ) {
    const carriers = builders.map((b) => `${b.name}: ${b.labels.length > 0 ? b.labels.join(", ") : "none"}`);
    return [
      {
        key: "builderLabels",
        message:
          request.builder === undefined
            ? `asks for a builder with the label${request.labels.length > 1 ? "s" : ""} ${request.labels.join(", ")}, which no builder carries`
            : `asks for builder ${request.builder} with the label${request.labels.length > 1 ? "s" : ""} ${request.labels.join(", ")}, which it does not carry`,
        hint: `labels by builder: ${carriers.length > 0 ? carriers.join("; ") : "no builders"}`,
      },
    ];
  }
  return [];
}
