import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { dockerClient } from "./docker.js";
import { REPO_ROOT } from "./paths.js";

export interface DockbuildRunOptions {
  cwd?: string;
  /** Merged over the test process's environment (which carries DOCKBUILD_DOCKER). */
  env?: Record<string, string | undefined>;
  /** Aborting it stops the child with SIGTERM. */
  signal?: AbortSignal;
}

export interface DockbuildRun {
  /** undefined when the child was ended by a signal. */
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  all: string;
}

const BIN = path.join(REPO_ROOT, "bin", "dockbuild.js");

/**
 * Start the built CLI (`node bin/dockbuild.js`, so `pnpm build` must have run) as a child process.
 * Returns the running child: tests that send it a signal (`child.kill("SIGINT")`) start it this way.
 */
export function startDockbuild(args: readonly string[], options: DockbuildRunOptions = {}): ResultPromise {
  return execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { DOCKBUILD_DOCKER: dockerClient(), NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    cancelSignal: options.signal,
    stdin: "ignore",
    all: true,
    reject: false,
    forceKillAfterDelay: 10_000,
  });
}

/** Run the built CLI to its end and return its exit code and output; never throws for a failing run. */
export async function runDockbuild(
  args: readonly string[],
  options: DockbuildRunOptions = {},
): Promise<DockbuildRun> {
  return settle(startDockbuild(args, options));
}

/** Wait for a child started with `startDockbuild` and collect what it printed. */
export async function settle(child: ResultPromise): Promise<DockbuildRun> {
  const result = await child;
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    all: String(result.all),
  };
}
