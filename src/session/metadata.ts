import { InputError } from "../errors.js";
import { buildMetadata, writeMetadataFile } from "../report/metadata.js";
import type { JobResult } from "../run/types.js";
import { findWriteProblem } from "../util/write-json-atomic.js";

/** A metadata file that cannot be written is bad input: found before anything is built, exit 2. */
export async function checkMetadataFile(file: string): Promise<void> {
  const problem = await findWriteProblem(file);
  if (problem === undefined) return;
  throw new InputError([
    {
      message: `the metadata file ${file} cannot be written: ${problem}`,
      hint: "Name a file in a folder dockbuild can write to (missing folders are made).",
    },
  ]);
}

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
