import { readFile, realpath } from "node:fs/promises";
import { normalizeImageRef } from "../graph/image-ref.js";
import { sequenceGraph } from "../graph/sequence.js";
import type { ServiceNode } from "../graph/types.js";
import type { BuildJob } from "../plan/types.js";
import { isRemoteContext } from "../util/remote-context.js";
import { readDockerignore } from "./context-files.js";
import { hashContextFiles } from "./context-hash.js";
import { loadGitIndex, type GitIndexCache } from "./git-index.js";
import { builderOf, imageInputsOf, type ImageInputs } from "./image-inputs.js";
import { computeJobHash } from "./job-hash.js";
import { mapLimit } from "./map-limit.js";

export { externalRefs } from "./image-inputs.js";

export interface InputHashOptions {
  /** How many contexts are hashed at once (each reads several files at once). */
  concurrency?: number;
  /** Work trees already loaded in this run. */
  gitCache?: GitIndexCache;
  /** Told why a job gets no hash (it is then always built). */
  onUnhashable?: (jobId: string, reason: string) => void;
}

/** A job's inputs read from disk, with its contexts as keys into the shared table of context hashes. */
interface JobSources {
  context: string;
  /** Path named contexts only. */
  named: Record<string, string>;
  dockerfileText: string;
}

/** Each distinct (folder, patterns) pair, hashed once however many jobs use it. */
type ContextTable = Map<string, { dir: string; patterns: string[] | undefined; hash?: string }>;

/**
 * The input hash of every job whose inputs can all be known, upstream first. A job is left out — and so always
 * built — when a context is a URL, `pull` is set, an external image has no local id, or a job it builds on is
 * left out. Each context is hashed once however many jobs share it, and git runs once per repository.
 */
export async function computeInputHashes(
  jobs: readonly BuildJob[],
  nodes: ReadonlyMap<string, ServiceNode>,
  externalImageIds: Record<string, string>,
  options: InputHashOptions = {},
): Promise<Map<string, string>> {
  const skip = (id: string, reason: string) => options.onUnhashable?.(id, reason);
  const imageIds = new Map(Object.entries(externalImageIds).map(([ref, id]) => [normalizeImageRef(ref), id]));
  const inputs = imageInputsOf(jobs, nodes);

  const table: ContextTable = new Map();
  const sources = new Map<string, JobSources>();
  // Every job's ignore file and folders at once: one after the other, 40 jobs would wait on 80 file reads.
  await Promise.all(
    jobs.map(async (job) => {
      const reason = unhashableReason(job, inputs.get(job.id), imageIds);
      if (reason !== undefined) return skip(job.id, reason);
      try {
        sources.set(job.id, await readJobSources(job, nodes.get(job.id), table));
      } catch (error) {
        skip(job.id, `its context or Dockerfile cannot be read: ${String(error)}`);
      }
    }),
  );
  await hashContexts(table, options);

  const hashes = new Map<string, string>();
  const sequence = sequenceGraph(new Map(jobs.map((job) => [job.id, inputs.get(job.id)?.upstream ?? []])));
  const ordered = new Set(sequence.chunks.flat());
  for (const job of jobs) {
    if (sources.has(job.id) && !ordered.has(job.id))
      skip(job.id, "it is on a cycle of build-time dependencies");
  }
  const byId = new Map(jobs.map((job) => [job.id, job]));
  for (const id of sequence.chunks.flat()) {
    const job = byId.get(id);
    const own = sources.get(id);
    if (job === undefined || own === undefined) continue;
    const result = hashJob(job, own, inputs.get(id), { jobs, table, hashes, imageIds });
    if (typeof result === "string") hashes.set(id, result);
    else skip(id, result.reason);
  }
  return hashes;
}

async function readJobSources(
  job: BuildJob,
  node: ServiceNode | undefined,
  table: ContextTable,
): Promise<JobSources> {
  const add = async (dir: string, patterns: string[] | undefined) => {
    const key = `${await realpath(dir)}\0${JSON.stringify(patterns ?? null)}`;
    if (!table.has(key)) table.set(key, { dir, patterns });
    return key;
  };
  const context = await add(job.context, await readDockerignore(job.context, job.dockerfile));
  const named: Record<string, string> = {};
  for (const [name, value] of Object.entries(job.namedContexts)) {
    // BuildKit applies no .dockerignore to a named context: every file counts.
    if (value.kind === "path") named[name] = await add(value.path, undefined);
  }
  return { context, named, dockerfileText: await readDockerfileText(job, node) };
}

async function hashContexts(table: ContextTable, options: InputHashOptions): Promise<void> {
  const gitCache: GitIndexCache = options.gitCache ?? new Map();
  await mapLimit([...table.values()], options.concurrency ?? 4, async (entry) => {
    try {
      entry.hash = await hashContextFiles(entry.dir, entry.patterns, await loadGitIndex(entry.dir, gitCache));
    } catch {
      // Left without a hash: every job that uses this context is reported with its own id.
    }
  });
}

interface HashState {
  jobs: readonly BuildJob[];
  table: ContextTable;
  /** The hashes of the jobs done so far (every upstream job comes first). */
  hashes: Map<string, string>;
  imageIds: Map<string, string>;
}

function hashJob(
  job: BuildJob,
  own: JobSources,
  images: ImageInputs | undefined,
  state: HashState,
): string | { reason: string } {
  const contextKeys = [own.context, ...Object.values(own.named)];
  const unhashed = contextKeys.find((key) => state.table.get(key)?.hash === undefined);
  if (unhashed !== undefined) return { reason: `the context ${unhashed.split("\0")[0]} cannot be hashed` };
  const upstreamHashes: string[] = [];
  for (const upstream of images?.upstream ?? []) {
    const hash = state.hashes.get(upstream);
    if (hash === undefined) return { reason: `it builds on ${upstream}, which has no input hash` };
    upstreamHashes.push(hash);
  }
  const imageId = (ref: string) => state.imageIds.get(normalizeImageRef(ref));
  const namedContextHashes: Record<string, string> = {};
  for (const [name, context] of Object.entries(job.namedContexts)) {
    const built = context.kind === "image" ? builderOf(state.jobs, context.service) : undefined;
    const key = own.named[name];
    const hash =
      key !== undefined
        ? state.table.get(key)?.hash
        : built !== undefined
          ? state.hashes.get(built)
          : context.kind === "image"
            ? imageId(context.ref)
            : undefined;
    if (hash !== undefined) namedContextHashes[name] = hash;
  }
  const externalImageIds: Record<string, string> = {};
  for (const ref of images?.external ?? []) externalImageIds[normalizeImageRef(ref)] = imageId(ref) ?? "";
  return computeJobHash({
    job,
    contextHash: state.table.get(own.context)?.hash ?? "",
    dockerfileText: own.dockerfileText,
    upstreamHashes,
    externalImageIds,
    namedContextHashes,
  });
}

function unhashableReason(
  job: BuildJob,
  images: ImageInputs | undefined,
  imageIds: Map<string, string>,
): string | undefined {
  if (isRemoteContext(job.context)) return `its context is remote (${job.context})`;
  if (job.pull) return "it pulls its base images on every build";
  const url = Object.entries(job.namedContexts).find(([, c]) => c.kind === "url");
  if (url) return `its named context "${url[0]}" is a URL`;
  const unknown = images?.external.find((ref) => !imageIds.has(normalizeImageRef(ref)));
  if (unknown !== undefined) return `the image ${unknown} is not in the engine, so its id is unknown`;
  return undefined;
}

async function readDockerfileText(job: BuildJob, node: ServiceNode | undefined): Promise<string> {
  if (job.dockerfileInline !== undefined) return job.dockerfileInline;
  if (node) return node.dockerfileText;
  if (job.dockerfile === undefined) throw new Error("the job has no Dockerfile");
  return readFile(job.dockerfile, "utf8");
}
