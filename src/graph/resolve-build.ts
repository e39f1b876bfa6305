import type { BuildSpec, Service } from "../compose/types.js";
import type { ServiceOverride } from "../config/schema.js";

/** Apply dockbuild's per-service overrides to a service's build section and drop args that have no value. */
export function resolveServiceBuild(
  service: Service & { build: BuildSpec },
  override: ServiceOverride | undefined,
): { build: BuildSpec; args: Record<string, string> } {
  // Without an override the build section is the service's own, not a copy (nothing edits either).
  const build: BuildSpec =
    override === undefined
      ? service.build
      : {
          ...service.build,
          target: override.target ?? service.build.target,
          args: { ...service.build.args, ...override.args },
          tags: [...service.build.tags, ...(override.tags ?? [])],
        };
  const args: Record<string, string> = {};
  for (const [key, value] of Object.entries(build.args)) if (value !== undefined) args[key] = value;
  return { build, args };
}
