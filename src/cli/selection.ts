import { DockbuildError } from "../errors.js";
import { affectedServices, changedFilesSince, readDockerignores } from "../inputs/index.js";
import { selectServices, type Selection } from "../select/select.js";
import type { Workspace } from "./workspace.js";

export interface SelectionOptions {
  deps: boolean;
  affected?: boolean;
  since?: string;
}

/**
 * What was asked on the command line, narrowed with `--affected --since REF` to the services whose build
 * inputs changed since REF (and everything built on them), with build-time dependencies unless `--no-deps`.
 */
export async function selectForCommand(
  workspace: Workspace,
  names: string[],
  options: SelectionOptions,
): Promise<Selection> {
  if (options.since !== undefined && !options.affected) {
    throw new DockbuildError("BAD_INPUT", "--since needs --affected", { hint: "use --affected --since REF" });
  }
  if (!options.affected)
    return selectServices(workspace.graph, workspace.config, { names, noDeps: !options.deps });
  const ref = options.since ?? "origin/main";
  const asked = selectServices(workspace.graph, workspace.config, { names, noDeps: true });
  const changed = await changedFilesSince(workspace.project.workingDir, ref);
  const globalFiles = [workspace.configFile].filter((f): f is string => f !== undefined);
  const affected = new Set(
    affectedServices(workspace.graph, changed, await readDockerignores(workspace.graph), globalFiles),
  );
  const requested = asked.requested.filter((n) => affected.has(n));
  if (!options.deps) return { services: requested, requested };
  const withDeps = selectServices(workspace.graph, workspace.config, { names: requested, noDeps: false });
  return requested.length === 0 ? { services: [], requested } : withDeps;
}
