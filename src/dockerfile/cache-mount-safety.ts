import type { CacheMount } from "./types.js";

/** Folders a package manager locks while it runs; two builds sharing one at the same time break each other. */
const LOCKED_FOLDERS: { tool: string; paths: string[] }[] = [
  { tool: "apt", paths: ["/var/cache/apt", "/var/lib/apt"] },
  { tool: "apk", paths: ["/var/cache/apk", "/etc/apk/cache"] },
  { tool: "dnf", paths: ["/var/cache/dnf", "/var/lib/dnf"] },
  { tool: "yum", paths: ["/var/cache/yum", "/var/lib/yum"] },
];

/**
 * A warning for a cache mount that parallel builds would corrupt: a package manager's lock-protected folder
 * mounted with `sharing=shared` (BuildKit's default), which lets every build on the engine write it at once.
 */
export function cacheMountSafety(mount: CacheMount): string | undefined {
  if (mount.sharing !== "shared") return undefined;
  const target = normalizePath(mount.target);
  const match = LOCKED_FOLDERS.find(({ paths }) =>
    paths.some((p) => target === p || target.startsWith(`${p}/`)),
  );
  if (!match) return undefined;
  return (
    `cache mount ${mount.target} (id=${mount.id}) is shared: ${match.tool} locks this folder, so builds running at once ` +
    `fail or corrupt it. Hint: add sharing=locked to the --mount so builds take turns`
  );
}

function normalizePath(path: string): string {
  const collapsed = path.replace(/\/+/g, "/");
  return collapsed.length > 1 ? collapsed.replace(/\/$/, "") : collapsed;
}
