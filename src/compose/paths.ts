import path from "node:path";
import { isRemoteContext } from "../util/remote-context.js";

// Compose's path rules: compose-go paths/resolve.go (`absContextPath`); remote contexts: util/remote-context.ts.

export { isRemoteContext };

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
