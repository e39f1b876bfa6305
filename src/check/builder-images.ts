import type { BuildGraph } from "../graph/types.js";
import { normalizeImageRef } from "../util/image-ref.js";
import { stageChain, targetStage } from "./service-view.js";

/**
 * The services whose image other services build a stage on that their own image is not built FROM — a builder
 * stage their final image copies from — by service, with those other services in file order. Such an image is
 * a build toolchain by design (a compiler image shared by a monorepo), so its size is not a finding.
 */
export function builderImageUsers(graph: BuildGraph): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const node of graph.nodes.values()) {
    const bases = new Set(node.edges.filter((e) => e.kind === "FROM").map((e) => e.to));
    const target = targetStage(node);
    if (bases.size === 0 || !target) continue;
    const shipped = new Set(stageChain(node, target));
    for (const stage of node.stages) {
      if (stage.base.kind !== "image" || shipped.has(stage)) continue;
      const owner = graph.imageOwners.get(normalizeImageRef(stage.base.ref));
      if (owner === undefined || !bases.has(owner)) continue;
      const list = users.get(owner) ?? [];
      if (!list.includes(node.name)) list.push(node.name);
      users.set(owner, list);
    }
  }
  return users;
}
