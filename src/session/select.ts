import { changedFilesSince, readDockerignores } from "../inputs/index.js";
import { selectAffected } from "../select/affected.js";
import { selectServices, type Selection } from "../select/select.js";
import type { LoadedProject } from "./load-project.js";

/** Which services a run is about. */
export interface SelectRequest {
  /** Services or groups; empty or `["all"]` for every active service. */
  services?: string[];
  /** Leave out build-time dependencies (their existing images are used). */
  noDeps?: boolean;
  /** Only services whose build inputs changed since this git ref (and what builds on them). */
  affectedSince?: string;
}

/** Select the services asked for; with `affectedSince`, read what git says changed first. */
export async function selectForRequest(loaded: LoadedProject, request: SelectRequest): Promise<Selection> {
  const names = request.services ?? [];
  const { graph, config } = loaded;
  if (request.affectedSince === undefined) {
    return selectServices(graph, config, { names, noDeps: request.noDeps === true });
  }
  const changed = await changedFilesSince(loaded.project.workingDir, request.affectedSince);
  // the project's compose and env files are the project's own (affectedServices reads them); this is ours
  const globalFiles = loaded.configFile !== undefined ? [loaded.configFile] : [];
  return selectAffected(graph, config, {
    names,
    noDeps: request.noDeps === true,
    changes: { changed, dockerignores: await readDockerignores(graph), globalFiles },
  });
}
