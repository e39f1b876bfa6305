import { checkProject } from "../../src/check/check-project.js";
import { readContextFacts } from "../../src/check/read-context-facts.js";
import type { MeasuredSize } from "../../src/check/rules/image-size.js";
import type { Finding } from "../../src/check/types.js";
import { loadProject } from "../../src/session/load-project.js";
import { writeProject } from "../helpers/run-bin.js";

/** Check one Dockerfile (service `app`, context `.`) in process: the findings as `[rule, line]` plus the list. */
export async function checkDockerfile(
  dockerfile: string,
  files: Record<string, string> = {},
  target?: string,
  sizes?: ReadonlyMap<string, MeasuredSize>,
): Promise<{ rules: [string, number][]; findings: Finding[] }> {
  const compose = `services:\n  app:\n    image: precise/app:dev\n    build:\n      context: .\n${target ? `      target: ${target}\n` : ""}`;
  const dir = writeProject({ "compose.yaml": compose, Dockerfile: dockerfile, ...files });
  const workspace = await loadProject({ projectDirectory: dir, cwd: dir });
  const nodes = [...workspace.graph.nodes.values()];
  const findings = checkProject({
    graph: workspace.graph,
    services: nodes.map((n) => n.name),
    contexts: await readContextFacts(nodes),
    config: workspace.config.check,
    sizes,
  });
  return { rules: findings.map((f) => [f.rule, f.location.line]), findings };
}
