import { buildMetadata, writeMetadataFile } from "../report/metadata.js";
import type { JobResult } from "../run/types.js";

/** Write `--metadata-file`; a failure is returned as a sentence, so that it cannot hide the builds' own result. */
export async function writeRunMetadata(
  file: string,
  results: readonly JobResult[],
): Promise<string | undefined> {
  try {
    await writeMetadataFile(file, buildMetadata(results));
    return undefined;
  } catch (error) {
    return `the metadata file ${file} could not be written: ${(error as Error).message}`;
  }
}
