import * as z from "zod";
import { EngineTimeout, getFromEngine, type EngineResponse } from "./engine-socket.js";
import { imageInspectSchema, toImageDetails, type ImageDetails } from "./image-details.js";
import { normalizeImageRef, parseImageRef } from "../util/image-ref.js";
import { mapLimit } from "../util/map-limit.js";

/** What the engine says of itself (`GET /version`). */
export interface EngineVersion {
  version: string;
  apiVersion: string;
  /** Everything else that tells one engine build from another: commit, build time, kernel, platform. */
  build: string;
}

// GET /version: https://github.com/moby/moby/blob/v20.10.24/api/types/types.go (Version)
const versionSchema = z.object({
  Version: z.string(),
  ApiVersion: z.string(),
  GitCommit: z.string().optional(),
  BuildTime: z.string().optional(),
  KernelVersion: z.string().optional(),
  Os: z.string().optional(),
  Arch: z.string().optional(),
});

const errorSchema = z.object({ message: z.string() });

/** Read the engine's answer to `GET /version`; `undefined` when it is not one. */
export function parseEngineVersion(response: EngineResponse): EngineVersion | undefined {
  if (response.status !== 200) return undefined;
  const parsed = versionSchema.safeParse(parseJson(response.body));
  if (!parsed.success) return undefined;
  const v = parsed.data;
  return {
    version: v.Version,
    apiVersion: v.ApiVersion,
    build: [v.GitCommit, v.BuildTime, v.KernelVersion, v.Os, v.Arch].map((x) => x ?? "").join(" "),
  };
}

/** How the engine answered `GET /images/{name}/json`. */
export type ImageAnswer =
  /** it holds the image */
  | { kind: "found"; image: ImageDetails }
  /** 404: it does not hold an image of that name */
  | { kind: "missing" }
  /** anything else: the engine's message, or why the answer could not be read */
  | { kind: "error"; message: string };

/** Read the engine's answer to `GET /images/{name}/json`: the same fields `docker image inspect` prints. */
export function parseImageAnswer(response: EngineResponse): ImageAnswer {
  const json = parseJson(response.body);
  if (response.status === 404) return { kind: "missing" };
  if (response.status !== 200) {
    const error = errorSchema.safeParse(json);
    return { kind: "error", message: error.success ? error.data.message : `HTTP ${response.status}` };
  }
  const parsed = imageInspectSchema.safeParse(json);
  if (!parsed.success)
    return { kind: "error", message: `unexpected image inspect answer: ${parsed.error.message}` };
  return { kind: "found", image: toImageDetails(parsed.data) };
}

/** The API path of an image: every part of the reference escaped, its slashes kept (the engine's router expects them). */
export function imagePath(ref: string): string {
  return `/images/${ref.split("/").map(encodeURIComponent).join("/")}/json`;
}

/**
 * Ask the engine on its socket for its version: "silent" when something listens there but gives no answer
 * within `timeoutMs` (a stopped or hung engine), `undefined` when nothing listens or the answer is not one.
 */
export async function readEngineVersion(
  socket: string,
  timeoutMs: number,
): Promise<EngineVersion | "silent" | undefined> {
  try {
    return parseEngineVersion(await getFromEngine(socket, "/version", timeoutMs));
  } catch (error) {
    return error instanceof EngineTimeout ? "silent" : undefined;
  }
}

// GET /images/json: https://github.com/moby/moby/blob/v20.10.24/api/types/types.go (ImageSummary)
const summarySchema = z.array(
  z.object({
    Id: z.string(),
    RepoTags: z.array(z.string()).nullish(),
    Size: z.number(),
    Labels: z.record(z.string(), z.string()).nullish(),
  }),
);

/** Read the engine's answer to `GET /images/json`: every image listed, or why the answer cannot be used. */
export function parseImageList(response: EngineResponse): ImageDetails[] | { error: string } {
  if (response.status !== 200) return { error: `HTTP ${response.status}` };
  const parsed = summarySchema.safeParse(parseJson(response.body));
  if (!parsed.success) return { error: `unexpected image list: ${parsed.error.message}` };
  return parsed.data.map((image) => ({
    id: image.Id,
    sizeBytes: image.Size,
    labels: image.Labels ?? {},
    tags: image.RepoTags ?? [],
  }));
}

/** The API path that lists the images any of these references name (the engine ORs the filters). */
export function imageListPath(refs: readonly string[]): string {
  return `/images/json?filters=${encodeURIComponent(JSON.stringify({ reference: refs }))}`;
}

/**
 * What the list says of each reference: the listed image carrying that very tag (compared as the engine
 * resolves names, `acme/x` = `docker.io/acme/x:latest`), or "missing" for a plain name the list does not
 * carry (the engine lists every image a name filter matches). References the list cannot settle (a digest,
 * an image id) are left out: ask for those one by one.
 */
export function matchListedImages(
  refs: readonly string[],
  listed: readonly ImageDetails[],
): Map<string, ImageDetails | "missing"> {
  const byTag = new Map<string, ImageDetails>();
  for (const image of listed) for (const tag of image.tags) byTag.set(normalizeImageRef(tag), image);
  const settled = new Map<string, ImageDetails | "missing">();
  for (const ref of refs) {
    if (!isPlainName(ref)) continue;
    settled.set(ref, byTag.get(normalizeImageRef(ref)) ?? "missing");
  }
  return settled;
}

/** A name (with a tag or not) that the engine resolves by name alone: no digest, not an image id. */
function isPlainName(ref: string): boolean {
  if (parseImageRef(ref).digest !== undefined) return false;
  if (/^(sha256:)?[0-9a-f]{12,64}$/.test(ref)) return false;
  return /^[a-z0-9][a-z0-9._/:-]*$/.test(ref);
}

/**
 * Inspect many images over the socket: one list of every image the references name, then one question for
 * each reference the list cannot settle. A missing image is simply absent. Throws when the engine fails.
 */
export async function inspectImagesOnSocket(
  socket: string,
  refs: readonly string[],
): Promise<Map<string, ImageDetails>> {
  const unique = [...new Set(refs)];
  const listed = parseImageList(await getFromEngine(socket, imageListPath(unique)));
  if ("error" in listed) throw new Error(`listing images: ${listed.error}`);
  const settled = matchListedImages(unique, listed);
  const images = new Map<string, ImageDetails>();
  for (const [ref, image] of settled) if (image !== "missing") images.set(ref, image);
  const answers = await mapLimit(
    unique.filter((ref) => !settled.has(ref)),
    8,
    async (ref) => {
      const answer = parseImageAnswer(await getFromEngine(socket, imagePath(ref)));
      return { ref, answer };
    },
  );
  for (const { ref, answer } of answers) {
    if (answer.kind === "error") throw new Error(`image ${ref}: ${answer.message}`);
    if (answer.kind === "found") images.set(ref, answer.image);
  }
  return images;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
