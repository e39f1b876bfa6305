import { loadProject } from "../../session/index.js";
import { globalToProjectOptions, type GlobalOptions } from "../global-options.js";

/** `dockbuild ls`: every service with a build section, its target, and every stage of its Dockerfile. */
export async function runLsCommand(options: GlobalOptions & { json?: boolean }): Promise<void> {
  const { graph } = await loadProject(globalToProjectOptions(options));
  const rows = [...graph.nodes.values()].map((node) => ({
    name: node.name,
    target: node.build.target ?? null,
    image: node.imageName,
    dockerfile: node.dockerfileLabel,
    profiles: node.service.profiles,
    stages: node.analysis.stages.map((s) => s.name),
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const width = Math.max(7, ...rows.map((r) => r.name.length));
  const targetWidth = Math.max(6, ...rows.map((r) => (r.target ?? "-").length));
  process.stdout.write(`${"SERVICE".padEnd(width)}  ${"TARGET".padEnd(targetWidth)}  STAGES\n`);
  for (const r of rows) {
    const stages = r.stages.map((s) => (s === r.target ? `[${s}]` : /^\d+$/.test(s) ? `#${s}` : s)).join(" ");
    const profiles = r.profiles.length > 0 ? `  (profiles: ${r.profiles.join(", ")})` : "";
    process.stdout.write(
      `${r.name.padEnd(width)}  ${(r.target ?? "-").padEnd(targetWidth)}  ${stages}${profiles}\n`,
    );
  }
}
