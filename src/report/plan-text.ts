import type { PlacementReason } from "../place/index.js";
import type { BuildPlan } from "../plan/plan.js";
import { sharedMounts } from "./plan-json.js";

/** A readable tree of the plan: waves, and for each service its target, tags, stages and build-time needs. */
export function planToText(plan: BuildPlan, info: { project: string; warnings: string[] }): string {
  const lines: string[] = [];
  const byName = new Map(plan.services.map((s) => [s.name, s]));
  const jobs = new Map(plan.jobs.map((job) => [job.key, job]));
  lines.push(
    `project ${info.project}: ${plan.services.length} service${plural(plan.services.length)}, ` +
      `${plan.jobs.length} build${plural(plan.jobs.length)}, ${plan.waves.length} wave${plural(plan.waves.length)}`,
  );
  plan.waves.forEach((wave, i) => {
    lines.push("", `wave ${i + 1}`);
    wave.forEach((name, j) => {
      const planned = byName.get(name);
      if (!planned) return;
      const { node } = planned;
      const last = j === wave.length - 1;
      const branch = last ? "└─" : "├─";
      const pad = last ? "   " : "│  ";
      lines.push(`${branch} ${name}${node.build.target ? ` (target ${node.build.target})` : ""}`);
      if (planned.sameBuildAs) lines.push(`${pad}  same build as ${planned.sameBuildAs}`);
      lines.push(`${pad}  tags:   ${node.tags.join(", ")}`);
      if (node.stages.length > 0)
        lines.push(
          `${pad}  stages: ${node.stages.map((s) => (s.named ? s.name : `#${s.name}`)).join(" → ")}`,
        );
      if (node.edges.length > 0) {
        const needs = node.edges.map((e) => `${e.to} (${e.kind} ${e.ref})`);
        lines.push(`${pad}  needs:  ${[...new Set(needs)].join(", ")}`);
      }
      const job = planned.sameBuildAs ? undefined : jobs.get(planned.job);
      if (job?.builder !== undefined)
        lines.push(
          `${pad}  builder: ${job.builder}${job.builderReason ? ` (${BUILDER_REASONS[job.builderReason]})` : ""}`,
        );
    });
  });
  const shared = sharedMounts(plan);
  if (shared.length > 0) {
    lines.push("", "cache mounts shared between services");
    for (const m of shared) lines.push(`  ${m.id}: ${m.services.join(", ")}`);
  }
  if (info.warnings.length > 0) {
    lines.push("", "warnings");
    for (const w of info.warnings) lines.push(`  ! ${w}`);
  }
  return lines.join("\n");
}

/** How the plan says why a build prefers its builder. */
const BUILDER_REASONS: Record<PlacementReason, string> = {
  pinned: "asked for",
  stages: "where a build of the same context runs",
  upstream: "where its upstream image is built",
  hash: "by the hash of its context",
};

function plural(n: number): string {
  return n === 1 ? "" : "s";
}
