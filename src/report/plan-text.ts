import type { PlacementReason } from "../place/index.js";
import type { BuildPlan } from "../plan/plan.js";
import { isProfileActive, type HiddenProfile } from "../select/select.js";
import { describeRemoteContext, remoteContextKind } from "../util/remote-context.js";
import { sharedMounts } from "./plan-json.js";
import { capLines } from "./warnings.js";

/** What the plan text says besides the plan itself. */
export interface PlanTextInfo {
  project: string;
  warnings: string[];
  /** Services with a build section left out because their profiles are inactive. */
  hidden?: HiddenProfile[];
  /** The active profiles: a planned service none of whose profiles is active says why it is planned. */
  activeProfiles?: readonly string[];
}

/** A readable tree of the plan: waves, and for each service its target, tags, stages and build-time needs. */
export function planToText(plan: BuildPlan, info: PlanTextInfo): string {
  const lines: string[] = [];
  const byName = new Map(plan.services.map((s) => [s.name, s]));
  const jobs = new Map(plan.jobs.map((job) => [job.key, job]));
  lines.push(
    `project ${info.project}: ${plan.services.length} service${plural(plan.services.length)}, ` +
      `${plan.jobs.length} build${plural(plan.jobs.length)}, ${plan.waves.length} wave${plural(plan.waves.length)}`,
  );
  const hidden = profileNote(info.hidden ?? []);
  if (hidden) lines.push(hidden);
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
      const remote = remoteContextKind(node.build.context);
      if (remote) lines.push(`${pad}  context: ${node.build.context} (${describeRemoteContext(remote)})`);
      if (node.service.profiles.length > 0)
        lines.push(`${pad}  profiles: ${node.service.profiles.join(", ")}${inactiveNote(plan, name, info)}`);
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
    for (const w of capLines(info.warnings, "warnings")) lines.push(`  ! ${w}`);
  }
  return lines.join("\n");
}

/** Why a service whose profiles are all inactive is in the plan: named, or needed by a planned build. */
function inactiveNote(plan: BuildPlan, name: string, info: PlanTextInfo): string {
  const { activeProfiles } = info;
  const planned = plan.services.find((s) => s.name === name);
  if (!activeProfiles || !planned || isProfileActive(planned.node.service.profiles, activeProfiles))
    return "";
  const users = plan.services.filter((s) => s.node.dependsOn.includes(name)).map((s) => s.name);
  return users.length === 0 ? " (not active)" : ` (not active; ${users.join(", ")} needs it at build time)`;
}

/** How the plan says why a build prefers its builder. */
const BUILDER_REASONS: Record<PlacementReason, string> = {
  pinned: "asked for",
  stages: "where a build of the same context runs",
  upstream: "where its upstream image is built",
  hash: "by the hash of its context",
};

/** One line naming what inactive profiles hide and the `--profile` that plans them; empty when nothing is hidden. */
export function profileNote(hidden: readonly HiddenProfile[]): string {
  const services = new Set(hidden.flatMap((h) => h.services));
  if (services.size === 0) return "";
  const each = hidden.map((h) => `--profile ${h.profile}: ${h.services.join(", ")}`).join("; ");
  return `not planned: ${services.size} service${plural(services.size)} with a build behind inactive profiles (${each})`;
}

function plural(n: number): string {
  return n === 1 ? "" : "s";
}
