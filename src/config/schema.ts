import * as z from "zod";
import { ENDPOINT_FORMS, parseEndpoint } from "./endpoint.js";
import { parseDuration } from "../util/duration.js";

/** A time limit: `90s`, `10m`, `1h30m`, or a number of seconds. */
const duration = z
  .union([z.number(), z.string()])
  .refine((value) => parseDuration(String(value)) !== undefined, {
    message: 'expected a duration such as "90s", "10m" or "1h30m" (a bare number is seconds)',
  });

const serviceOverride = z.strictObject({
  args: z.record(z.string(), z.string()).optional(),
  target: z.string().optional(),
  tags: z.array(z.string()).optional(),
  /** The builder (a name from `builders`) this service's build must run on. */
  builder: z.string().optional(),
  /** Labels the builder of this service's build must carry (e.g. `large`). */
  builderLabels: z.array(z.string()).optional(),
});

/** One BuildKit builder a run may spread its builds over. */
export const builderConfig = z.strictObject({
  /** How the builder is named in `--builder`, `x-dockbuild.builder` and the results. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
    error: "expected a name of letters, digits, '.', '_' and '-'",
  }),
  /** `docker:unix:///…` (or tcp://, ssh://), `docker-context:NAME` or `buildx:NAME`. */
  endpoint: z.string().refine((text) => !("error" in parseEndpoint(text)), {
    error: (issue) => {
      const parsed = typeof issue.input === "string" ? parseEndpoint(issue.input) : undefined;
      return parsed && "error" in parsed ? parsed.error : `expected one of ${ENDPOINT_FORMS}`;
    },
  }),
  /** Builds it runs at once (default 4). */
  slots: z.number().int().positive().optional(),
  /** The platforms it builds (`linux/amd64`); unset: whatever a build asks for. */
  platforms: z.array(z.string()).optional(),
  /** Labels services can ask for (`builderLabels`). */
  labels: z.array(z.string()).optional(),
});

/** A repository prefix builders push to and pull from: `host[:port]/path`, lowercase. */
const REGISTRY = /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

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

/** A size: a number of bytes, or a number with a unit (`120MB`, `1.5GiB`, `800 kB`). */
const size = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*(B|kB|KB|MB|GB|KiB|MiB|GiB)\s*$/, "a size such as 120MB, 1.5GiB or 800kB"),
]);

/** A rule silenced everywhere (its id or name), or only for some services. */
const checkIgnore = z.union([
  z.string(),
  z.strictObject({ rule: z.string(), services: z.array(z.string()).optional() }),
]);

export const checkConfig = z.strictObject({
  /** Rules to silence: `DB008`, `unpinned-base-image`, or `{ rule: DB004, services: [legacy] }`. */
  ignore: z.array(checkIgnore).optional(),
  /** Severity per rule id or name; `off` silences it. */
  severity: z.record(z.string(), z.enum(["error", "warning", "note", "off"])).optional(),
  /** `check --sizes`: the largest final image each service may have. */
  maxSize: z.record(z.string(), size).optional(),
  /** `check --sizes`: the largest final image as a share of its builder stage (default 0.5). */
  maxBuilderShare: z.number().positive().max(1).optional(),
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
  /** Stop and fail a build that runs longer than this (default: no limit). */
  timeout: duration.optional(),
  /** Warn when a build has printed nothing for this long (default 60s; 0 never warns). */
  stallWarning: duration.optional(),
  /** Layer cache per service, and how cache-mount contents are saved and restored. */
  cache: cacheConfig.optional(),
  /** BuildKit builders to spread the builds over (default: the one engine the Docker client reaches). */
  builders: z.array(builderConfig).min(1, { error: "list at least one builder" }).optional(),
  /** Where builders hand images to each other and find earlier results: `registry.example.com/acme/build`. */
  registry: z
    .string()
    .regex(REGISTRY, {
      error: "expected a repository prefix such as registry.example.com/acme/build (lowercase)",
    })
    .optional(),
  /** What `dockbuild check` reports and fails on. */
  check: checkConfig.optional(),
});

export type Config = z.infer<typeof configSchema>;
export type ServiceOverride = z.infer<typeof serviceOverride>;
export type CacheConfig = z.infer<typeof cacheConfig>;
export type BuilderConfig = z.infer<typeof builderConfig>;
export type CheckConfig = z.infer<typeof checkConfig>;
