import { stringify } from "yaml";
import type { BuildPlan } from "../plan/plan.js";

/** One CI job: build one service (and, through the layer cache, reuse what earlier jobs built). */
export interface MatrixEntry {
  service: string;
  target: string | null;
  /** 1-based build-time dependency depth. */
  wave: number;
  dependsOn: string[];
  sameBuildAs: string | null;
  /** With a registry: upstream services whose images it already holds (read from there, not rebuilt). */
  upstreamFromRegistry?: string[];
}

/** The matrix entries of a plan, one per selected service, in wave order. */
export function matrixEntries(plan: BuildPlan): MatrixEntry[] {
  const byName = new Map(plan.services.map((s) => [s.name, s]));
  return plan.waves.flatMap((wave, i) =>
    wave.flatMap((name) => {
      const planned = byName.get(name);
      if (!planned) return [];
      const selected = planned.node.dependsOn.filter((d) => byName.has(d));
      return [
        {
          service: name,
          target: planned.node.build.target ?? null,
          wave: i + 1,
          dependsOn: selected,
          sameBuildAs: planned.sameBuildAs,
        },
      ];
    }),
  );
}

/** GitHub Actions `strategy.matrix`, one line of JSON; `{"include":[]}` when nothing is selected. */
export function formatGithubMatrix(entries: MatrixEntry[]): string {
  return JSON.stringify({
    include: entries.map((e) => ({ service: e.service, target: e.target ?? "", wave: e.wave })),
  });
}

/** A GitLab child pipeline: one job per service whose `needs:` follow the build graph. */
export function formatGitlabPipeline(
  entries: MatrixEntry[],
  options: { image?: string; command?: string } = {},
): string {
  const command = options.command ?? "dockbuild";
  const jobName = (service: string) => `build:${service}`;
  const pipeline: Record<string, unknown> = { stages: ["build"] };
  if (entries.length === 0) {
    pipeline["dockbuild:nothing-to-build"] = { stage: "build", script: ['echo "no service is affected"'] };
  }
  for (const e of entries) {
    pipeline[jobName(e.service)] = {
      stage: "build",
      ...(options.image ? { image: options.image } : {}),
      variables: { DOCKBUILD_SERVICE: e.service, DOCKBUILD_WAVE: String(e.wave) },
      script: [`${command} ${e.service}`],
      needs: e.dependsOn.map(jobName),
    };
  }
  return stringify(pipeline, { lineWidth: 0 });
}

/** The plain list with waves, for any other CI. */
export function formatJsonMatrix(entries: MatrixEntry[], waves: string[][]): string {
  return JSON.stringify({ version: 1, services: entries, waves }, null, 2);
}
