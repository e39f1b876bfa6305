import { canonicalSettings } from "./build-settings.js";
import type { ServiceNode } from "./types.js";

/**
 * A key equal for two services exactly when one build can serve both: same sources (context, Dockerfile,
 * named contexts as written) and the same value of every setting in `BUILD_SETTINGS`. Tags do not count.
 */
export function identicalBuildKey(node: ServiceNode): string {
  const b = node.build;
  return JSON.stringify([
    b.context,
    b.dockerfile ?? null,
    b.dockerfileInline ?? null,
    Object.entries(b.additionalContexts).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
    canonicalSettings({ ...b, args: node.args }, "identity"),
  ]);
}
