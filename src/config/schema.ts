import { z } from "zod";

const serviceOverride = z.strictObject({
  args: z.record(z.string(), z.string()).optional(),
  target: z.string().optional(),
  tags: z.array(z.string()).optional(),
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
});

export type Config = z.infer<typeof configSchema>;
export type ServiceOverride = z.infer<typeof serviceOverride>;
