import { realpath } from "node:fs/promises";
import { readDockerignore } from "./context-files.js";
import { loadBlobIdCache } from "./blob-cache.js";
import { hashContextFiles } from "./context-hash.js";
import { loadGitIndex, type GitIndexCache } from "./git-index.js";
import { mapLimit } from "../util/map-limit.js";

/** A folder whose files a build receives: its main context (with its ignore rules) or a path named context. */
export interface ContextRequest {
  dir: string;
  /**
   * The build's Dockerfile, whose `<Dockerfile>.dockerignore` comes before `<dir>/.dockerignore`; `null` for a
   * named context, to which BuildKit applies no ignore file at all.
   */
  dockerfile: string | undefined | null;
}

/** What reading one context gave: the content hash of the files the engine receives, or why there is none. */
export type ContextDigest = { hash: string } | { error: string };

/** The key a planned job looks its context's digest up by. */
export function contextKey(request: ContextRequest): string {
  return `${request.dir}\0${request.dockerfile === null ? "-" : (request.dockerfile ?? "")}`;
}

export interface ReadContextsOptions {
  /**
   * How many folders are hashed at once (default 8; each reads up to 16 files at once, whole up to 1 MiB): a
   * walk goes down a folder one level at a time, so small contexts hashed 4 at a time left the disk idle.
   */
  concurrency?: number;
  /** Work trees already loaded in this run. */
  gitCache?: GitIndexCache;
  /** Read git's index here (no process) while the folders hold at most this many tracked files. */
  inProcessLimit?: number;
  /** The project whose blob ids of earlier runs are used and kept (none: every file is read). */
  project?: string;
  /** Where the state folder is looked up (`DOCKBUILD_STATE_DIR`); default the process's environment. */
  env?: Record<string, string | undefined>;
}

/**
 * Hash every requested folder, each distinct (folder, ignore rules) pair once however many builds share it:
 * files git's index or an earlier run vouches for are not read; git runs at most three times per repository,
 * over only the folders asked about.
 */
export async function readContextDigests(
  requests: readonly ContextRequest[],
  options: ReadContextsOptions = {},
): Promise<Map<string, ContextDigest>> {
  const gitCache: GitIndexCache = options.gitCache ?? new Map();
  const folders = [...new Set(requests.map((r) => r.dir))];
  const unique = new Map<string, ContextRequest>();
  for (const request of requests) unique.set(contextKey(request), request);

  const blobs = loadBlobIdCache(options.project, options.env);
  // Every ignore file and real path at once: one after the other, 40 builds would wait on 80 file reads.
  const resolved = await Promise.all(
    [...unique].map(async ([key, request]) => {
      try {
        const patterns =
          request.dockerfile === null ? undefined : await readDockerignore(request.dir, request.dockerfile);
        const shared = `${await realpath(request.dir)}\0${JSON.stringify(patterns ?? null)}`;
        return { key, request, patterns, shared, error: undefined };
      } catch (error) {
        const why = `its context or Dockerfile cannot be read: ${String(error)}`;
        return { key, request, patterns: undefined, shared: "", error: why };
      }
    }),
  );
  const shared = new Map<string, { dir: string; patterns: string[] | undefined }>();
  for (const entry of resolved) {
    if (entry.error === undefined)
      shared.set(entry.shared, { dir: entry.request.dir, patterns: entry.patterns });
  }
  const hashed = new Map<string, ContextDigest>();
  const cache = await blobs;
  await mapLimit([...shared], options.concurrency ?? 8, async ([id, { dir, patterns }]) => {
    try {
      // git lists only these folders, not every ignored file of the repository (node_modules, build output)
      const git = await loadGitIndex(dir, gitCache, folders, options.inProcessLimit).catch(() => undefined);
      hashed.set(id, { hash: await hashContextFiles(dir, patterns, git, cache) });
    } catch {
      hashed.set(id, { error: `the context ${dir} cannot be hashed` });
    }
  });
  await cache.save();
  const digests = new Map<string, ContextDigest>();
  for (const entry of resolved) {
    digests.set(
      entry.key,
      entry.error !== undefined ? { error: entry.error } : (hashed.get(entry.shared) as ContextDigest),
    );
  }
  return digests;
}
