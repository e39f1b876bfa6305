import type { Engine, RegistryLookup } from "../backends/index.js";
import { mapLimit } from "../util/map-limit.js";
import type { BuildJob } from "../plan/index.js";

/** Registry questions in flight at once: each is a client process and a round trip. */
const LOOKUPS_AT_ONCE = 8;

/**
 * What the registry holds of each job's content-addressed tag, asked once before the run. A registry that
 * cannot be asked is told once (`warn`); its jobs are built as if it held nothing.
 */
export async function lookupRegistryImages(
  jobs: readonly BuildJob[],
  client: Pick<Engine, "lookup">,
  warn: (message: string) => void,
): Promise<Map<string, RegistryLookup>> {
  const asked = jobs.filter((job) => job.registryImage !== undefined);
  const answers = await mapLimit(asked, LOOKUPS_AT_ONCE, (job) => client.lookup(job.registryImage as string));
  const found = new Map<string, RegistryLookup>();
  const errors: string[] = [];
  asked.forEach((job, i) => {
    const answer = answers[i] as RegistryLookup;
    found.set(job.key, answer);
    if (answer.status === "error") errors.push(answer.message);
  });
  if (errors.length > 0) {
    warn(
      `the registry could not be asked about ${errors.length} image(s), which are built as if it held none: ${errors[0]}`,
    );
  }
  return found;
}
