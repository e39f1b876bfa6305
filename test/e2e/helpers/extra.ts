import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { dockerClient, tryDocker } from "./docker.js";
import type { DockbuildRunOptions } from "./dockbuild.js";
import { REPO_ROOT } from "./paths.js";

/** Lowercase hex, for image names, nonces and mount ids that no other test (or person) uses. */
export function nonce(bytes = 4): string {
  return randomBytes(bytes).toString("hex");
}

/** One entry of `--metadata-file` (DESIGN.md, Contracts), read back loosely. */
export interface MetadataEntry {
  status: string;
  imageId: string | null;
  tags: string[];
  durationMs: number;
  sizeBytes: number | null;
  error?: string[];
  reason?: string;
  sameBuildAs?: string;
}

/** Read a `--metadata-file`; throws with the text when it is not an object of service entries. */
export async function readMetadata(file: string): Promise<Record<string, MetadataEntry>> {
  const text = await readFile(file, "utf8");
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`metadata file is not a JSON object:\n${text}`);
  }
  for (const [service, entry] of Object.entries(parsed)) {
    if (
      typeof entry !== "object" ||
      entry === null ||
      typeof (entry as { status?: unknown }).status !== "string"
    ) {
      throw new Error(`metadata entry ${service} has no status:\n${text}`);
    }
  }
  return parsed as Record<string, MetadataEntry>;
}

/** One line of `--progress json`, with the fields these tests read. */
export interface ProgressEvent {
  event: string;
  time: number;
  service?: string;
  services?: string[];
  status?: string;
  line?: string;
  message?: string;
  steps?: number;
  cachedSteps?: number;
  command?: string;
}

/** Every event of a `--progress json` stdout; throws on a line that is not a JSON event. */
export function parseEvents(stdout: string): ProgressEvent[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const parsed: unknown = JSON.parse(line);
      if (
        typeof parsed !== "object" ||
        parsed === null ||
        typeof (parsed as { event?: unknown }).event !== "string"
      ) {
        throw new Error(`not a progress event: ${line}`);
      }
      return parsed as ProgressEvent;
    });
}

/** The one event of this kind for this job; throws when there is none or more than one. */
export function onlyEvent(events: ProgressEvent[], event: string, service: string): ProgressEvent {
  const found = events.filter((e) => e.event === event && e.service === service);
  if (found.length !== 1) {
    throw new Error(`expected one "${event}" event for ${service}, got ${found.length}`);
  }
  return found[0] as ProgressEvent;
}

/** A Docker client that logs each call's argv (one line per call) and then runs the real client. */
export interface RecordingDocker {
  /** The wrapper to pass as DOCKBUILD_DOCKER. */
  binary: string;
  /** The argv of every call so far, joined by spaces. */
  calls(): Promise<string[]>;
  /** Forget the calls so far. */
  reset(): Promise<void>;
}

/**
 * Put a recording wrapper around the tests' Docker client in `dir`: the way to tell that a run started no
 * engine build at all (an up-to-date skip), rather than a build the engine answered from its cache.
 */
export async function recordingDocker(dir: string): Promise<RecordingDocker> {
  await mkdir(dir, { recursive: true });
  const log = path.join(dir, "calls.log");
  const binary = path.join(dir, "docker");
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  await writeFile(log, "");
  await writeFile(binary, `#!/bin/sh\nprintf '%s\\n' "$*" >> ${q(log)}\nexec ${q(dockerClient())} "$@"\n`);
  await chmod(binary, 0o755);
  return {
    binary,
    calls: async () => (await readFile(log, "utf8")).split("\n").filter((l) => l !== ""),
    reset: () => writeFile(log, ""),
  };
}

/** The `ps` line of every process whose argv contains `text` (never the `ps` itself). */
export async function processesMatching(text: string): Promise<string[]> {
  const ps = await execa("ps", ["-eo", "pid,ppid,pgid,args"], { stdin: "ignore" });
  return ps.stdout
    .split("\n")
    .slice(1)
    .filter((line) => line.includes(text) && !/\bps -eo\b/.test(line));
}

/** Whether a process with this pid is still running: a zombie (dead, not yet reaped by its parent) is not. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // /proc/PID/stat: "pid (comm) S ..."; comm may hold spaces and parentheses, the state follows the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Poll until `check` returns true; returns false when `timeoutMs` passes first. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Resolve once the child's interleaved output matches `pattern`; reject when it ends or `timeoutMs` passes
 * first, with what it printed so far. The child's own buffering (for `settle`) is not disturbed.
 */
export function waitForOutput(child: ResultPromise, pattern: RegExp, timeoutMs: number): Promise<string> {
  const stream = child.all;
  if (!stream) return Promise.reject(new Error("the child was started without `all: true`"));
  return new Promise((resolve, reject) => {
    let seen = "";
    const done = (error?: Error) => {
      clearTimeout(timer);
      stream.off("data", onData);
      stream.off("end", onEnd);
      if (error) reject(error);
      else resolve(seen);
    };
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (pattern.test(seen)) done();
    };
    const onEnd = () => done(new Error(`dockbuild ended before printing ${pattern}:\n${seen}`));
    const timer = setTimeout(
      () => done(new Error(`dockbuild printed no ${pattern} within ${timeoutMs} ms:\n${seen}`)),
      timeoutMs,
    );
    stream.on("data", onData);
    stream.on("end", onEnd);
  });
}

/**
 * Start the built CLI in a process group of its own, as a shell starts a foreground job: a terminal's Ctrl-C
 * is then `process.kill(-child.pid, "SIGINT")`, which reaches dockbuild and whatever shares its group.
 */
export function startDockbuildInOwnGroup(
  args: readonly string[],
  options: DockbuildRunOptions = {},
): ResultPromise {
  return execa(process.execPath, [path.join(REPO_ROOT, "bin", "dockbuild.js"), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { DOCKBUILD_DOCKER: dockerClient(), NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    detached: true,
    stdin: "ignore",
    all: true,
    reject: false,
    forceKillAfterDelay: 10_000,
  });
}

/**
 * Image ids a test made that no tag names any more (a tag moved on a rebuild, a `--stage` build, a failed
 * run's leftovers): removed after the tagged images, without --force so that an id still tagged stays.
 */
export function imageJanitor(): {
  track(id: string | null | undefined): void;
  removeTracked(): Promise<void>;
} {
  const ids = new Set<string>();
  return {
    track: (id) => {
      if (id) ids.add(id);
    },
    removeTracked: async () => {
      if (ids.size > 0) await tryDocker(["rmi", ...ids]);
    },
  };
}
