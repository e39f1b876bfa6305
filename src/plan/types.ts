import type { BuildSecret, Ulimit } from "../compose/types.js";
import type { CacheMount } from "../dockerfile/types.js";
import type { NamedContext } from "../graph/named-context.js";
import type { BuilderRequest, PlacementReason } from "../place/index.js";

export type { NamedContext } from "../graph/named-context.js";

/** Which build a job is: a service's target, or one stage of it (`dockbuild --stage test`). */
export interface JobId {
  /** The primary service: the first of the services whose identical builds this job runs. */
  readonly service: string;
  /** Set for a `--stage` job: the stage built instead of the target. */
  readonly stage?: string;
}

/** How a build names the image of a job it builds on, so that a run can read that image from a registry instead. */
export interface UpstreamUse {
  /** References as the Dockerfile writes them after ARG expansion (FROM, COPY --from, RUN --mount=from). */
  readonly refs: readonly string[];
  /** Named contexts (`additional_contexts: { name: service:other }`) that stand for it. */
  readonly contexts: readonly string[];
}

/** The stage whose size the summary sets next to the final image's, and the stages building it runs. */
export interface SizeProbe {
  readonly stage: string;
  readonly stages: readonly string[];
}

/**
 * One BuildKit build, final when the plan returns it: one or more services whose builds are identical (the
 * first is the primary), with everything the engine needs. Nothing changes a job after planning (planned
 * jobs are frozen); whether it is up to date is decided by the run and recorded in its result.
 */
export interface BuildJob {
  readonly id: JobId;
  /** The id as text, unique in a plan: `api`, or `api:test` for a stage job. Logs, maps and dependencies use it. */
  readonly key: string;
  /** Every name this build produces an image for, primary first (`api:test` for a stage job). */
  readonly services: readonly string[];
  readonly context: string;
  /** Absolute Dockerfile path; unset with `dockerfileInline`. */
  readonly dockerfile?: string;
  readonly dockerfileInline?: string;
  /** The Dockerfile's text as planned (read once by the loader); unset for a remote context's own Dockerfile. */
  readonly dockerfileText?: string;
  readonly target?: string;
  /** The stages this build runs, in order. */
  readonly stages: readonly string[];
  /** Build args with every value resolved. */
  readonly args: Readonly<Record<string, string>>;
  /** Every tag the image gets (each service's image name and `build.tags`, and an inline cache tag). */
  readonly tags: readonly string[];
  /** The Compose labels, plus the input hash label when the hash is known. */
  readonly labels: Readonly<Record<string, string>>;
  readonly platforms: readonly string[];
  readonly namedContexts: Readonly<Record<string, NamedContext>>;
  /** Secrets by reference (an id and a file or variable name); never a value. */
  readonly secrets: readonly BuildSecret[];
  readonly ssh: readonly string[];
  readonly network?: string;
  readonly extraHosts: readonly string[];
  readonly shmSize?: string;
  readonly ulimits: Readonly<Record<string, Ulimit>>;
  readonly privileged: boolean;
  readonly entitlements: readonly string[];
  readonly noCache: boolean;
  readonly pull: boolean;
  /** Layer cache sources: the Compose file's `cache_from`, then the run's cache settings. */
  readonly cacheFrom: readonly string[];
  readonly cacheTo: readonly string[];
  /** Keys of the jobs that must finish first (their images are used by this build). */
  readonly dependsOn: readonly string[];
  /** Whether to load the result into the engine's image store (false for a `--stage` test run). */
  readonly load: boolean;
  /** Tags pushed after the build (or when it is up to date): every tag with `--push`, an inline cache tag. */
  readonly push: readonly string[];
  /** Content hash of everything that goes into the build; unset when some input cannot be known. */
  readonly inputHash?: string;
  /** Why the job has no input hash (it is then always built). */
  readonly unhashed?: string;
  /** Images the build uses that no job of this plan builds (FROM, COPY --from, mounts, image contexts). */
  readonly externalImages: readonly string[];
  /** The cache mounts of the stages this build runs. */
  readonly cacheMounts: readonly CacheMount[];
  /** With `--sizes`: the builder stage to measure next to the final image. */
  readonly sizeProbe?: SizeProbe;
  /** With several builders: the one the plan prefers for it (the run may move it; its result says where it ran). */
  readonly builder?: string;
  /** Why it prefers that builder. */
  readonly builderReason?: PlacementReason;
  /** What the service asks of its builder (a name, labels). */
  readonly builderRequest?: BuilderRequest;
  /** With several builders: what placement hashes, the build context relative to the project. */
  readonly placementKey?: string;
  /** With a registry: the content-addressed tag of its result, `<registry>/<service>:ih-<input hash>`. */
  readonly registryImage?: string;
  /** With several builders or a registry: by job key, how this build names each upstream job's image. */
  readonly upstreamUses?: Readonly<Record<string, UpstreamUse>>;
}

/** The text form of a job id: `api`, `api:test`. */
export function jobKey(id: JobId): string {
  return id.stage === undefined ? id.service : `${id.service}:${id.stage}`;
}
