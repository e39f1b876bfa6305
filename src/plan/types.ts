import type { BuildSecret, Ulimit } from "../compose/types.js";

/** A named context as the engine gets it. */
export type NamedContext =
  /** a folder on the host */
  | { kind: "path"; path: string }
  /** an image: another service's freshly built image, or `docker-image://REF` */
  | { kind: "image"; ref: string; service?: string }
  /** a git or HTTP URL */
  | { kind: "url"; url: string };

/** One BuildKit build: one or more services whose builds are identical (the first is the primary). */
export interface BuildJob {
  /** The primary service's name; also the job's id. */
  id: string;
  /** Every service this build produces an image for, primary first. */
  services: string[];
  context: string;
  /** Absolute Dockerfile path; unset with `dockerfileInline`. */
  dockerfile?: string;
  dockerfileInline?: string;
  target?: string;
  /** The stages this build runs, in order. */
  stages: string[];
  /** Build args with every value resolved. */
  args: Record<string, string>;
  /** Every tag the image gets (each service's image name and `build.tags`). */
  tags: string[];
  labels: Record<string, string>;
  platforms: string[];
  namedContexts: Record<string, NamedContext>;
  secrets: BuildSecret[];
  ssh: string[];
  network?: string;
  extraHosts: string[];
  shmSize?: string;
  ulimits: Record<string, Ulimit>;
  privileged: boolean;
  entitlements: string[];
  noCache: boolean;
  pull: boolean;
  cacheFrom: string[];
  cacheTo: string[];
  /** Jobs that must finish first (their images are used by this build). */
  dependsOn: string[];
  /** Whether to load the result into the engine's image store (false for a `--stage` test run). */
  load: boolean;
  /** Content hash of everything that goes into the build, when computed (see up-to-date checks). */
  inputHash?: string;
}
