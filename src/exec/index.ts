import type { ResultPromise } from "execa";
import { parentDeathWrapper, wrappedSpawnError } from "./parent-death.js";

/**
 * execa and the parts of Node it needs (child_process, readline, worker_threads, v8…) are loaded at the
 * first spawn: a run that needs no process (nothing changed, the engine asked on its socket) never pays for them.
 */
const loadExeca = () => import("execa");

/** What one spawn needs. `env` is merged over the parent's environment. */
export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  signal?: AbortSignal;
  /** Called with each line the child writes to stdout or stderr, as it arrives. */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** Own process group (the default), so that stopping the child stops everything it started. */
  detached?: boolean;
  /** How long after SIGTERM to send SIGKILL. */
  forceKillAfterMs?: number;
  timeoutMs?: number;
}

export interface ExecResult {
  command: string;
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  all: string;
  failed: boolean;
  isCanceled: boolean;
  timedOut: boolean;
  /** Set when the binary could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

/** The children alive right now, so that a signal handler can stop every one of them. */
const running = new Set<ResultPromise>();

/** Run a command and collect its output; never throws for a non-zero exit, the caller reads `failed`. */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const detached = options.detached ?? true;
  const { execa } = await loadExeca();
  // Every child learns of dockbuild's death, even by SIGKILL, and ends with it (see parent-death.ts).
  const wrapper = await parentDeathWrapper();
  const child = execa(wrapper?.file ?? file, wrapper ? [...wrapper.prefix, file, ...args] : args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    input: options.input,
    // A detached child is stopped as a whole process group below; execa would only signal the child itself.
    cancelSignal: detached ? undefined : options.signal,
    detached,
    forceKillAfterDelay: options.forceKillAfterMs ?? 5000,
    // Likewise a detached child that takes too long: its group is stopped below, or what it started (which
    // holds its output open) would keep the command waiting.
    timeout: detached ? undefined : options.timeoutMs,
    reject: false,
    all: true,
    stripFinalNewline: true,
    lines: false,
    buffer: true,
    stdin: options.input === undefined ? "ignore" : "pipe",
  });
  running.add(child);
  let groupCancelled = false;
  const onAbort = () => {
    if (child.pid === undefined) return;
    groupCancelled = true;
    stopGroup(child.pid, options.forceKillAfterMs ?? 5000);
  };
  if (detached && options.signal) {
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener("abort", onAbort, { once: true });
  }
  let groupTimedOut = false;
  const timer =
    detached && options.timeoutMs !== undefined
      ? setTimeout(() => {
          if (child.pid === undefined) return;
          groupTimedOut = true;
          stopGroup(child.pid, options.forceKillAfterMs ?? 5000);
        }, options.timeoutMs)
      : undefined;
  if (options.onLine) {
    const onLine = options.onLine;
    forwardLines(child.stdout, (l) => onLine(l, "stdout"));
    forwardLines(child.stderr, (l) => onLine(l, "stderr"));
  }
  try {
    const result = await child;
    const code = (result as { code?: string }).code;
    const stderr = String(result.stderr ?? "");
    const spawnError =
      result.failed &&
      result.exitCode === undefined &&
      !result.isCanceled &&
      !groupCancelled &&
      !groupTimedOut &&
      !result.timedOut &&
      !result.signal
        ? (code ?? result.shortMessage)
        : wrapper
          ? wrappedSpawnError(file, result.exitCode, stderr)
          : undefined;
    return {
      command: [file, ...args].join(" "),
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: String(result.stdout ?? ""),
      stderr,
      all: String(result.all ?? ""),
      failed: result.failed,
      isCanceled: result.isCanceled || groupCancelled,
      timedOut: result.timedOut || groupTimedOut,
      spawnError,
    };
  } finally {
    clearTimeout(timer);
    running.delete(child);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

function forwardLines(stream: NodeJS.ReadableStream | null | undefined, emit: (line: string) => void): void {
  if (!stream) return;
  let rest = "";
  stream.on("data", (chunk: Buffer | string) => {
    const text = rest + chunk.toString();
    const parts = text.split(/\r?\n|\r/);
    rest = parts.pop() ?? "";
    for (const part of parts) emit(part);
  });
  stream.on("end", () => {
    if (rest) emit(rest);
    rest = "";
  });
}

/** Stop every running child and its process group: SIGTERM now, SIGKILL after `graceMs`. */
export function killAllChildren(graceMs = 3000): void {
  for (const child of running) if (child.pid !== undefined) stopGroup(child.pid, graceMs);
}

function stopGroup(pid: number, graceMs: number): void {
  signalGroup(pid, "SIGTERM");
  setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs).unref();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function runningChildCount(): number {
  return running.size;
}
