/** How a build reaches BuildKit. */
export type BackendKind =
  /** `docker buildx build`: the buildx plugin, with whatever driver its current builder uses */
  | "buildx"
  /** `DOCKER_BUILDKIT=1 docker build`: a Docker client older than 23.0, which carries BuildKit itself */
  | "docker";

/** What detection found out about the Docker client and the BuildKit engine behind it. */
export interface EngineInfo {
  backend: BackendKind;
  /** The Docker client binary every command runs, as configured (`docker`, `/usr/bin/docker`). */
  dockerBinary: string;
  /** e.g. "28.2.2", "20.10.24+dfsg1" */
  clientVersion: string;
  /** The engine's version, e.g. "20.10.24+dfsg1". */
  serverVersion: string;
  /** The buildx plugin's version without the `v`, e.g. "0.12.1", when the plugin answered. */
  buildxVersion?: string;
  /** The current buildx builder's driver: `docker`, `docker-container`, `kubernetes`, `remote`. */
  buildxDriver?: string;
  /** The builder's BuildKit version without the `v`, when the engine reports it. */
  buildkitVersion?: string;
  /** Whether builds may pass `--build-context` (buildx ≥ 0.8 on BuildKit ≥ 0.10). */
  namedContexts: boolean;
  /**
   * The buildx plugin binary the client runs, when detection made sure of it: builds then run it directly
   * (`docker-buildx build`), one process instead of the client, the plugin's metadata call and the plugin.
   */
  buildxPlugin?: string;
  /** The engine's unix socket, when it is on this machine and answers there: queries then need no process. */
  socket?: string;
  /** Global flags that point the client at a builder's engine (`-H unix:///…`, `--context NAME`); none: the default. */
  clientArgs?: readonly string[];
  /** The buildx builder builds go to (`docker buildx build --builder NAME`); none: the current one. */
  buildxBuilder?: string;
  /** The buildx builder's endpoint (a Docker context or host for the docker driver). */
  buildxEndpoint?: string;
}

/** What one build did, as the engine reported it. */
export interface BuildOutcome {
  ok: boolean;
  /** Stopped through the AbortSignal. */
  cancelled: boolean;
  /** The command line that ran, shell-quoted, for logs and failure reports; never holds a secret value. */
  command: string;
  /** `sha256:…` when the engine printed it. */
  imageId?: string;
  steps: number;
  cachedSteps: number;
  /** For a failure: the failing step, its last output lines and the engine's final error line. */
  errorLines: string[];
  exitCode?: number;
  /** What this backend could not honor (service and Compose key named), to show before or after the build. */
  warnings: string[];
}

/** The current build step of a running build, as the engine reports it. */
export interface StepProgress {
  /** e.g. "[3/7] RUN make" */
  name: string;
  /** steps finished so far, and how many of those came from cache */
  done: number;
  cached: number;
  total?: number;
}
