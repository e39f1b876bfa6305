import { planJobs, type BuildPlan, type PlanOptions } from "../plan/index.js";
import { builderRequests } from "./builder-requests.js";
import { builderSlots, selectBuilderConfigs } from "./builders.js";
import type { LoadedProject } from "./load-project.js";
import { selectForRequest, type SelectRequest } from "./select.js";

/** What to plan: the services (as `select` takes them) and how their jobs are shaped. */
export interface PlanRequest extends SelectRequest, Pick<PlanOptions, "stage" | "load" | "noCache" | "pull"> {
  /** Only these of the configured builders (default every one). */
  builders?: string[];
}

/**
 * Select and plan without an engine: the jobs, in build order by waves, with identical builds merged, and
 * over configured builders the one each job prefers. Input hashes and layer cache are left out (a build works
 * them out with what the engines hold).
 */
export async function planBuild(loaded: LoadedProject, request: PlanRequest = {}): Promise<BuildPlan> {
  const selection = await selectForRequest(loaded, request);
  const { config } = loaded;
  const builders =
    config.builders === undefined
      ? undefined
      : {
          list: selectBuilderConfigs(config, request.builders ?? [], loaded.configFile).map(builderSlots),
          requests: builderRequests(config, loaded.graph),
        };
  return planJobs(loaded.graph, selection, {
    ...(request.stage !== undefined ? { stage: request.stage, load: request.load === true } : {}),
    noCache: request.noCache === true,
    pull: request.pull === true,
    ...(builders !== undefined ? { builders } : {}),
  });
}
