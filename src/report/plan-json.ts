import type { BuildPlan } from "../plan/plan.js";
import type { HiddenProfile } from "../select/select.js";
import { remoteContextKind, type RemoteContextKind } from "../util/remote-context.js";

/** The `plan --json` contract (DESIGN.md); fields may be added, none removed. */
export interface PlanJson {
  version: 1;
  services: {
    name: string;
    context: string;
    dockerfile: string | null;
    target: string | null;
    /** The platforms the image is built for (`build.platforms`, else `platform:`); [] for the engine's own. */
    platforms: string[];
    tags: string[];
    stages: string[];
    dependsOn: string[];
    sameBuildAs: string | null;
    cacheMounts: { id: string; target: string; sharing: string }[];
    profiles: string[];
    /** Set when the context is fetched by the builder: it is neither read nor hashed, and always built. */
    remoteContext: RemoteContextKind | null;
    /** Over several builders: the one the plan prefers for its build (the run may move it); else null. */
    builder: string | null;
  }[];
  waves: string[][];
  /** Cache mounts used by more than one service, by id. */
  sharedCacheMounts: { id: string; services: string[] }[];
  /** Services with a build section left out because none of their profiles is active, by profile. */
  hiddenByProfiles: HiddenProfile[];
  warnings: string[];
}

/** Shape a plan into the JSON contract. */
export function planToJson(plan: BuildPlan, warnings: string[] = [], hidden: HiddenProfile[] = []): PlanJson {
  const jobs = new Map(plan.jobs.map((job) => [job.key, job]));
  return {
    version: 1,
    services: plan.services.map(({ node, sameBuildAs, job }) => ({
      name: node.name,
      context: node.build.context,
      dockerfile: node.build.dockerfileInline === undefined ? (node.build.dockerfile ?? null) : null,
      target: node.build.target ?? null,
      platforms: node.build.platforms,
      tags: node.tags,
      stages: node.stages.map((s) => s.name),
      dependsOn: node.dependsOn,
      sameBuildAs,
      cacheMounts: uniqueMounts(node.cacheMounts),
      profiles: node.service.profiles,
      remoteContext: remoteContextKind(node.build.context) ?? null,
      builder: jobs.get(job)?.builder ?? null,
    })),
    waves: plan.waves,
    sharedCacheMounts: sharedMounts(plan),
    hiddenByProfiles: hidden,
    warnings: [...new Set(warnings)],
  };
}

function uniqueMounts(mounts: { id: string; target: string; sharing: string }[]) {
  const byId = new Map<string, { id: string; target: string; sharing: string }>();
  for (const m of mounts)
    if (!byId.has(m.id)) byId.set(m.id, { id: m.id, target: m.target, sharing: m.sharing });
  return [...byId.values()];
}

/** Cache mounts (by id) that more than one planned build uses: they share contents on one engine. */
export function sharedMounts(plan: BuildPlan): { id: string; services: string[] }[] {
  const users = new Map<string, Set<string>>();
  for (const { node, sameBuildAs } of plan.services) {
    if (sameBuildAs) continue;
    for (const m of node.cacheMounts) {
      const set = users.get(m.id) ?? new Set<string>();
      set.add(node.name);
      users.set(m.id, set);
    }
  }
  return [...users]
    .filter(([, s]) => s.size > 1)
    .map(([id, s]) => ({ id, services: [...s] }))
    .sort((a, b) => a.id.localeCompare(b.id));
}
