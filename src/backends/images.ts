import * as z from "zod";
import { DockbuildError } from "../errors.js";
import { runCommand } from "../exec/index.js";
import { inspectImagesOnSocket } from "./engine-api.js";
import { imageInspectSchema, toImageDetails, type ImageDetails } from "./image-details.js";

export type { ImageDetails };
import type { EngineInfo } from "./types.js";

export interface ImageInspection {
  /** By the reference as asked for. */
  images: Map<string, ImageDetails>;
  /** References the engine does not hold. */
  missing: string[];
  /** Set when the output could not be read at all (engine gone, not JSON). */
  error?: string;
}

const inspectSchema = z.array(imageInspectSchema);

const NO_SUCH_IMAGE = /No such image: (\S+)\s*$/i;

/**
 * Read `docker image inspect REF…`: a JSON array of the images found, in the order asked, and one
 * `No such image: REF` line on stderr for each one missing (the command then exits 1).
 */
export function parseImageInspect(stdout: string, stderr: string, refs: readonly string[]): ImageInspection {
  const missing = stderr.split("\n").flatMap((line) => NO_SUCH_IMAGE.exec(line)?.[1] ?? []);
  const images = new Map<string, ImageDetails>();
  if (stdout.trim() === "") {
    const unexplained = stderr.split("\n").some((l) => l.trim() !== "" && !NO_SUCH_IMAGE.test(l));
    return { images, missing, ...(unexplained ? { error: stderr.trim() } : {}) };
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (cause) {
    return { images, missing, error: `docker image inspect printed no JSON: ${String(cause)}` };
  }
  const parsed = inspectSchema.safeParse(json);
  if (!parsed.success)
    return { images, missing, error: `unexpected docker image inspect output: ${parsed.error.message}` };
  const found = refs.filter((ref) => !missing.includes(ref));
  if (found.length !== parsed.data.length) {
    return {
      images,
      missing,
      error: `docker image inspect returned ${parsed.data.length} images for ${found.length} references`,
    };
  }
  parsed.data.forEach((image, i) => images.set(found[i] as string, toImageDetails(image)));
  return { images, missing };
}

/**
 * Inspect many images: on the engine's socket where it is local (no process), else in one client call. A
 * missing image is simply absent from the map.
 */
export async function inspectImages(
  engine: string | Pick<EngineInfo, "dockerBinary" | "socket" | "clientArgs">,
  refs: string[],
): Promise<Map<string, ImageDetails>> {
  if (refs.length === 0) return new Map();
  const {
    dockerBinary,
    socket,
    clientArgs = [],
  } = typeof engine === "string" ? { dockerBinary: engine, socket: undefined } : engine;
  if (socket !== undefined) {
    // an engine that stops answering there is asked through the client, which says what is wrong
    const found = await inspectImagesOnSocket(socket, refs).catch(() => undefined);
    if (found !== undefined) return found;
  }
  const result = await runCommand(dockerBinary, [...clientArgs, "image", "inspect", ...refs], {
    timeoutMs: 60_000,
  });
  const inspection = parseImageInspect(result.stdout, result.stderr, refs);
  if (result.spawnError !== undefined || inspection.error !== undefined) {
    throw new DockbuildError(
      "NO_ENGINE",
      `${dockerBinary} image inspect failed: ${result.spawnError ?? inspection.error}`,
      { hint: "Check that the Docker engine still runs (`docker info`)." },
    );
  }
  return inspection.images;
}
