/**
 * Normalize an image reference the way the engine resolves it, so that `acme/base`, `acme/base:latest` and
 * `docker.io/acme/base:latest` compare equal. A digest is kept as is.
 */
export function normalizeImageRef(ref: string): string {
  let name = ref.trim();
  if (name.startsWith("docker-image://")) name = name.slice("docker-image://".length);
  const at = name.indexOf("@");
  const digest = at >= 0 ? name.slice(at) : "";
  if (at >= 0) name = name.slice(0, at);
  const lastSlash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  let tag = "";
  if (colon > lastSlash) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  const parts = name.split("/");
  const first = parts[0] ?? "";
  const hasRegistry =
    parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasRegistry) {
    if (parts.length === 1) parts.unshift("library");
    parts.unshift("docker.io");
  }
  const base = parts.join("/").toLowerCase();
  if (digest) return `${base}${tag ? `:${tag}` : ""}${digest}`;
  return `${base}:${tag || "latest"}`;
}

/** Compose v2's default image name for a service built without `image:`. */
export function defaultImageName(project: string, service: string): string {
  return `${project}-${service}`;
}
