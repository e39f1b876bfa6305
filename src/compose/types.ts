import type { SourceLocation } from "../errors.js";

// Mirrors the `build` section of the Compose specification, normalized:
// https://github.com/compose-spec/compose-spec/blob/v2.6.0/build.md

/** A build secret passed by reference: a file on the host or an environment variable. Never its value. */
export interface BuildSecret {
  /** The id the Dockerfile mounts it by (`--mount=type=secret,id=…`). */
  id: string;
  /** Absolute path of the file holding the secret. */
  file?: string;
  /** Name of the environment variable holding the secret. */
  environment?: string;
}

export interface Ulimit {
  soft: number;
  hard: number;
}

export interface BuildSpec {
  /** Absolute path of the build context (or a URL for a remote context). */
  context: string;
  /** Absolute path of the Dockerfile; unset when `dockerfileInline` is used. */
  dockerfile?: string;
  dockerfileInline?: string;
  target?: string;
  /** Build args after interpolation; `undefined` means "take it from the environment" (list form `- NAME`). */
  args: Record<string, string | undefined>;
  /** Named contexts as written: an absolute path, `service:NAME`, `docker-image://REF`, or a URL. */
  additionalContexts: Record<string, string>;
  tags: string[];
  labels: Record<string, string>;
  platforms: string[];
  cacheFrom: string[];
  cacheTo: string[];
  secrets: BuildSecret[];
  /** `default` or `id=path` entries. */
  ssh: string[];
  network?: string;
  /** `host:ip` entries. */
  extraHosts: string[];
  shmSize?: string;
  noCache: boolean;
  pull: boolean;
  ulimits: Record<string, Ulimit>;
  privileged: boolean;
  entitlements: string[];
}

/** dockbuild's own per-service settings, from an `x-dockbuild` mapping on the service. */
export interface ServiceExtension {
  /** Extra build-time dependencies the Dockerfile cannot show. */
  dependsOn?: string[];
  /** Leave this service out of `dockbuild all`. */
  skip?: boolean;
  /** Groups this service belongs to, besides the config's `groups`. */
  groups?: string[];
  /** The builder (a name from the config's `builders`) this service's build must run on. */
  builder?: string;
  /** Labels its builder must carry. */
  builderLabels?: string[];
}

export interface Service {
  name: string;
  /** `image:` as written (after interpolation); the built image's name when set. */
  image?: string;
  /** `platform:`, or `DOCKER_DEFAULT_PLATFORM` for a service that builds; the build's platforms follow it. */
  platform?: string;
  build?: BuildSpec;
  profiles: string[];
  /** Run-time dependencies; never build edges. */
  dependsOn: string[];
  extension: ServiceExtension;
  /** Where the service is defined (the file and line of its key). */
  location: SourceLocation;
  /** Where its `build` section is defined, when it has one. */
  buildLocation?: SourceLocation;
  /** Where its `image:` is written, when it has one. */
  imageLocation?: SourceLocation;
  /**
   * Every file that defines or feeds the service (absolute paths): the compose files that define it, the
   * files its `extends` and `include` read, an included project's env files. Absent when the service was
   * not made by the loader.
   */
  sources?: string[];
}

/** A loaded Compose project: every service (built or not), after merge, extends, include and interpolation. */
export interface Project {
  name: string;
  /** Absolute project directory; relative paths in compose files resolve against their own file's folder. */
  workingDir: string;
  composeFiles: string[];
  /**
   * Files a change to which may change any service: the compose files (top-level `name:`, `secrets:`,
   * `include:`) and the env files used for interpolation (`.env`, `--env-file`, `COMPOSE_ENV_FILES`).
   * Absent when the project was not made by the loader: then `composeFiles` stand for it.
   */
  globalFiles?: string[];
  /** Every service in the merged model, in file order; profile filtering is done by `select`. */
  services: Service[];
  /** Profiles that were active when the project was loaded (`--profile`, `COMPOSE_PROFILES`). */
  activeProfiles: string[];
  /** The environment used for interpolation (process env over `.env`/`--env-file`/`COMPOSE_ENV_FILES`). */
  environment: Record<string, string>;
  /** Warnings found while loading (unused variables, ignored keys). */
  warnings: string[];
}

export interface LoadProjectOptions {
  /** Files given with `-f`; empty means Compose's default lookup (and `COMPOSE_FILE`). */
  files: string[];
  /** `--project-directory`; defaults to the folder of the first compose file. */
  projectDirectory?: string;
  /** `-p`; else `COMPOSE_PROJECT_NAME`, top-level `name:`, then the project folder's name. */
  projectName?: string;
  /** `--env-file`; else `COMPOSE_ENV_FILES` (comma-separated); else `.env` in the project directory. */
  envFiles: string[];
  /** `--profile`; else `COMPOSE_PROFILES`. */
  profiles: string[];
  /** The process environment (injected so that tests stay pure). */
  env: Record<string, string | undefined>;
  /** Where to start looking for default files. */
  cwd: string;
}
