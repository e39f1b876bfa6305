import * as z from "zod";

const serviceOverride = z.strictObject({
  args: z.record(z.string(), z.string()).optional(),
  target: z.string().optional(),
  tags: z.array(z.string()).optional(),
});

export const cacheConfig = z.strictObject({
  /** Where layer cache goes: a folder, a registry, GitHub's cache service, or inside the images themselves. */
  type: z.enum(["local", "registry", "gha", "inline"]).optional(),
  /** `local`: the folder that holds one cache folder per service (relative to this config file). */
  dir: z.string().optional(),
  /** `registry` (and `inline`): a repository such as `registry.example.com/acme/cache`; each service gets a tag. */
  ref: z.string().optional(),
  /** Prefix of every per-service scope (folder, tag, gha scope), e.g. `main-`. */
  scope: z.string().optional(),
  /** `max` also caches the intermediate stages (default, except inline, which is always `min`). */
  mode: z.enum(["min", "max"]).optional(),
  /** Image with a shell and `cp` that `dockbuild cache export|import` runs (default `busybox:latest`). */
  mountHelperImage: z.string().optional(),
});

/** dockbuild's own config file, as cosmiconfig finds it (`dockbuild.config.*`, `.dockbuildrc*`, `package.json#dockbuild`). */
export const configSchema = z.strictObject({
  /** Compose files to use when `-f` is not given. */
  files: z.array(z.string()).optional(),
  /** Project name when `-p` is not given. */
  projectName: z.string().optional(),
  /** Named lists of services, usable wherever a service name is. */
  groups: z.record(z.string(), z.array(z.string())).optional(),
  /** Per-service overrides of the Compose build section. */
  services: z.record(z.string(), serviceOverride).optional(),
  /** The Docker client binary (a path or a name on PATH). */
  docker: z.string().optional(),
  /** Force a backend instead of detecting one. */
  backend: z.enum(["auto", "buildx", "docker"]).optional(),
  /** How many builds run at once. */
  concurrency: z.number().int().positive().optional(),
  /** Layer cache per service, and how cache-mount contents are saved and restored. */
  cache: cacheConfig.optional(),
});

export type Config = z.infer<typeof configSchema>;
export type ServiceOverride = z.infer<typeof serviceOverride>;
export type CacheConfig = z.infer<typeof cacheConfig>;
