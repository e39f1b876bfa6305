import path from "node:path";

// Compose's path rules: compose-go paths/resolve.go (`absContextPath`, `isRemoteContext`).

const REMOTE_PREFIXES = ["https://", "http://", "git://", "ssh://", "github.com/", "git@"];

/** A build context BuildKit fetches itself: a URL, a git address, or any `scheme://` context. */
export function isRemoteContext(value: string): boolean {
  return value.includes("://") || REMOTE_PREFIXES.some((prefix) => value.startsWith(prefix));
}

/** Relative paths resolve against the folder of the file that declared them, and `~` against HOME. */
export function resolveLocalPath(dir: string, value: string, home: string | undefined): string {
  if (home !== undefined && (value === "~" || value.startsWith("~/"))) {
    return path.join(home, value.slice(1));
  }
  return path.resolve(dir, value);
}

/** A build context: remote contexts are kept as written, local ones made absolute. */
export function resolveContext(dir: string, value: string, home: string | undefined): string {
  return isRemoteContext(value) ? value : resolveLocalPath(dir, value, home);
}

/** A named context: `service:NAME`, `docker-image://…`, `oci-layout://…` and URLs are kept as written. */
export function resolveNamedContext(dir: string, value: string, home: string | undefined): string {
  return value.startsWith("service:") ? value : resolveContext(dir, value, home);
}
