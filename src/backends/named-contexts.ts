import type { BuildJob, NamedContext } from "../plan/types.js";
import type { EngineInfo } from "./types.js";

export interface NamedContextPlan {
  /** `--build-context name=…` pairs, for an engine that has named contexts. */
  buildContextArgs: string[];
  /** Dockerfile references to rewrite (name → image), for an engine that has none. */
  rewrites: Record<string, string>;
  warnings: string[];
  /** Contexts this engine cannot honor at all; the build must not start. */
  errors: string[];
}

/**
 * Decide how each `additional_contexts` entry reaches the engine: as a flag, as a Dockerfile rewrite, or not at
 * all. `readFrom` names image contexts this attempt reads from a registry instead (context name → image).
 */
export function planNamedContexts(
  job: BuildJob,
  engine: EngineInfo,
  readFrom: Readonly<Record<string, string>> = {},
): NamedContextPlan {
  const plan: NamedContextPlan = { buildContextArgs: [], rewrites: {}, warnings: [], errors: [] };
  const key = (name: string) => `service ${job.key}: build.additional_contexts.${name}`;
  for (const [name, planned] of Object.entries(job.namedContexts)) {
    const moved = readFrom[name];
    const context: NamedContext =
      moved !== undefined && planned.kind === "image" ? { kind: "image", ref: moved } : planned;
    if (engine.namedContexts) {
      plan.buildContextArgs.push("--build-context", `${name}=${contextValue(context)}`);
      if (context.kind === "image" && context.service !== undefined && engine.buildxDriver !== "docker") {
        plan.warnings.push(
          `${key(name)}: the image of service ${context.service} (${context.ref}) is in the engine's image store, ` +
            `which the buildx ${engine.buildxDriver ?? "current"} driver does not read; it resolves ${context.ref} from a registry`,
        );
      }
    } else if (context.kind === "image") {
      if (context.ref !== name) plan.rewrites[name] = context.ref;
    } else {
      plan.errors.push(
        `${key(name)}: the ${context.kind} context ${contextValue(context)} cannot be passed to ${describeEngine(engine)}, ` +
          "which has no named contexts (they need buildx 0.8 on BuildKit 0.10); only image contexts can be honored there, " +
          "by rewriting the Dockerfile",
      );
    }
  }
  return plan;
}

function contextValue(context: NamedContext): string {
  switch (context.kind) {
    case "path":
      return context.path;
    case "image":
      return `docker-image://${context.ref}`;
    case "url":
      return context.url;
  }
}

/** "the docker backend (Docker client 20.10.24, engine 20.10.24)" — what a message about this engine names. */
export function describeEngine(engine: EngineInfo): string {
  if (engine.backend === "docker") {
    return `the docker backend (Docker client ${engine.clientVersion}, engine ${engine.serverVersion})`;
  }
  const buildkit = engine.buildkitVersion ? `, BuildKit ${engine.buildkitVersion}` : "";
  return `buildx ${engine.buildxVersion ?? "?"} (${engine.buildxDriver ?? "?"} driver${buildkit}, engine ${engine.serverVersion})`;
}
