import { quote } from "shell-quote";
import { stringify } from "yaml";
import { sequenceGraph } from "../graph/sequence.js";
import type { BuildPlan } from "../plan/plan.js";

/**
 * One CI job: one distinct build (services whose builds are identical share it), which `dockbuild SERVICES…`
 * runs; through the layer cache it reuses what earlier jobs built.
 */
export interface MatrixEntry {
  /** The job's name: the first service of the build. */
  service: string;
  /** Every service the build makes an image for; the job names them all so that each gets its tags. */
  services: string[];
  /** Every tag the image gets. */
  tags: string[];
  target: string | null;
  /** 1-based build-time dependency depth among the jobs. */
  wave: number;
  /** The jobs (by name) whose images this build needs. */
  dependsOn: string[];
  /**
   * What the job runs after `dockbuild`: the global options the matrix was made with (compose files, env
   * files, project name, profiles, config), `build`, and the services, so that the job loads the same
   * project and builds exactly this build.
   */
  args: string[];
  /** With a registry: upstream jobs whose images it already holds (read from there, not rebuilt). */
  upstreamFromRegistry?: string[];
}

/** How the jobs are to run. */
export interface MatrixOptions {
  /**
   * The global options the matrix was made with, as arguments (`--file`, `compose.yaml`, `--env-file`…):
   * without them a job would load another project (a service defined only in a second compose file is unknown).
   */
  globalArgs?: readonly string[];
}

/** The matrix entries of a plan, one per build job (not per service), in wave order. */
export function matrixEntries(plan: BuildPlan, options: MatrixOptions = {}): MatrixEntry[] {
  const byId = new Map(plan.jobs.map((job) => [job.key, job]));
  const order = sequenceGraph(new Map(plan.jobs.map((job) => [job.key, job.dependsOn])));
  return order.chunks.flatMap((wave, i) =>
    wave.flatMap((id) => {
      const job = byId.get(id);
      if (!job) return [];
      return [
        {
          service: job.key,
          services: [...job.services],
          tags: [...job.tags],
          target: job.target ?? null,
          wave: i + 1,
          dependsOn: job.dependsOn.filter((d) => byId.has(d)),
          // `build` names the command, so that a service called `check` or `cache` is built, not run
          args: [...(options.globalArgs ?? []), "build", ...job.services],
        },
      ];
    }),
  );
}

/** GitHub Actions `strategy.matrix`, one line of JSON; `{"include":[]}` when nothing is selected. */
export function formatGithubMatrix(entries: MatrixEntry[]): string {
  return JSON.stringify({
    include: entries.map((e) => ({
      service: e.service,
      // space-separated, for cache keys and names
      services: e.services.join(" "),
      tags: e.tags.join(" "),
      target: e.target ?? "",
      wave: e.wave,
      // shell-quoted, for `run: npx dockbuild ${{ matrix.args }}`
      args: quote(e.args),
    })),
  });
}

/** How the jobs of a GitLab child pipeline run (it inherits nothing from the pipeline that made it). */
export interface GitlabJobOptions {
  image?: string;
  /** What runs dockbuild (default `dockbuild`; `npx -- dockbuild` for a dev dependency). */
  command?: string;
  /** Commands each job runs first (`npm ci`). */
  beforeScript?: readonly string[];
}

/** A GitLab child pipeline: one job per build whose `needs:` follow the build graph. */
export function formatGitlabPipeline(entries: MatrixEntry[], options: GitlabJobOptions = {}): string {
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
      variables: {
        DOCKBUILD_SERVICE: e.service,
        DOCKBUILD_SERVICES: e.services.join(" "),
        DOCKBUILD_WAVE: String(e.wave),
      },
      ...(options.beforeScript?.length ? { before_script: [...options.beforeScript] } : {}),
      script: [`${command} ${quote(e.args)}`],
      needs: e.dependsOn.map(jobName),
    };
  }
  return stringify(pipeline, { lineWidth: 0 });
}

/** The plain list with the jobs grouped in waves, for any other CI. */
export function formatJsonMatrix(entries: MatrixEntry[]): string {
  const waves: string[][] = [];
  for (const e of entries) (waves[e.wave - 1] ??= []).push(e.service);
  return JSON.stringify({ version: 1, jobs: entries, waves }, null, 2);
}
