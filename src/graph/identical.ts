import type { ServiceNode } from "./types.js";

/**
 * A key equal for two services exactly when their builds produce the same image: same context, Dockerfile,
 * target, args, platforms, named contexts, labels and build options. Tags do not count.
 */
export function identicalBuildKey(node: ServiceNode): string {
  const b = node.build;
  return JSON.stringify([
    b.context,
    b.dockerfile ?? null,
    b.dockerfileInline ?? null,
    b.target ?? null,
    sorted(node.args),
    [...b.platforms].sort(),
    sorted(b.additionalContexts),
    sorted(b.labels),
    b.secrets.map((s) => `${s.id}=${s.file ?? ""}|${s.environment ?? ""}`).sort(),
    [...b.ssh].sort(),
    b.network ?? null,
    [...b.extraHosts].sort(),
    b.shmSize ?? null,
    b.noCache,
    b.pull,
    b.privileged,
    [...b.entitlements].sort(),
  ]);
}

function sorted(record: Record<string, string | undefined>): [string, string | undefined][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
