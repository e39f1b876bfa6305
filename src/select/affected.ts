import type { Config } from "../config/schema.js";
import type { BuildGraph } from "../graph/types.js";
import { affectedServices, type DockerignoreMap } from "../inputs/index.js";
import { selectServices, type Selection } from "./select.js";

/** What changed since the ref `--affected --since` compares with, read before selecting. */
export interface ChangeSet {
  /** Absolute paths of the files changed since the ref. */
  changed: readonly string[];
  /** Every service's ignore patterns (see `readDockerignores`). */
  dockerignores: DockerignoreMap;
  /** Files whose change affects every service: dockbuild's config, the env files of the project. */
  globalFiles: readonly string[];
}

/**
 * What was asked, narrowed to the services whose build inputs changed (and everything built on them), with
 * their build-time dependencies unless `noDeps`.
 */
export function selectAffected(
  graph: BuildGraph,
  config: Config,
  options: { names: string[]; noDeps?: boolean; changes: ChangeSet },
): Selection {
  const asked = selectServices(graph, config, { names: options.names, noDeps: true });
  const { changed, dockerignores, globalFiles } = options.changes;
  const affected = new Set(affectedServices(graph, changed, dockerignores, globalFiles));
  const requested = asked.requested.filter((n) => affected.has(n));
  if (requested.length === 0) return { services: [], requested };
  if (options.noDeps) return { services: requested, requested };
  return selectServices(graph, config, { names: requested, noDeps: false });
}
