/** An image reference in parts, as the engine reads it: `registry/path:tag@digest`. */
export interface ImageRefParts {
  /** `docker.io` when the reference names no registry. */
  registry: string;
  /** `library/alpine` for an official image named without its namespace. */
  path: string;
  /** Unset when none is written. */
  tag?: string;
  digest?: string;
}

/** Split a reference the way the engine resolves it: `alpine` is `docker.io/library/alpine`. */
export function parseImageRef(ref: string): ImageRefParts {
  let name = ref.trim();
  if (name.startsWith("docker-image://")) name = name.slice("docker-image://".length);
  const at = name.indexOf("@");
  const digest = at >= 0 ? name.slice(at + 1) : undefined;
  if (at >= 0) name = name.slice(0, at);
  const lastSlash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  let tag: string | undefined;
  if (colon > lastSlash) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  const parts = name.split("/");
  const first = parts[0] ?? "";
  const hasRegistry =
    parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasRegistry ? first : "docker.io";
  const rest = hasRegistry ? parts.slice(1) : parts;
  if (registry === "docker.io" && rest.length === 1) rest.unshift("library");
  return {
    registry: registry === "index.docker.io" ? "docker.io" : registry,
    path: rest.join("/"),
    ...(tag ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/**
 * Normalize an image reference the way the engine resolves it, so that `acme/base`, `acme/base:latest` and
 * `docker.io/acme/base:latest` compare equal. A digest is kept as is.
 */
export function normalizeImageRef(ref: string): string {
  const { registry, path, tag, digest } = parseImageRef(ref);
  const base = `${registry}/${path}`.toLowerCase();
  if (digest !== undefined) return `${base}${tag ? `:${tag}` : ""}@${digest}`;
  return `${base}:${tag ?? "latest"}`;
}

/**
 * The short ("familiar") form of a reference, without `:latest`: `docker.io/library/x:latest` is `x`. The
 * name BuildKit looks a named context up by; see
 * https://github.com/moby/buildkit/blob/v0.12.5/frontend/dockerui/namedcontext.go
 */
export function familiarImageRef(ref: string): string {
  const { registry, path, tag, digest } = parseImageRef(ref);
  const name =
    registry !== "docker.io" ? `${registry}/${path}` : path.startsWith("library/") ? path.slice(8) : path;
  if (digest !== undefined) return `${name}${tag ? `:${tag}` : ""}@${digest}`;
  return tag === undefined || tag === "latest" ? name : `${name}:${tag}`;
}

/** Compose v2's default image name for a service built without `image:`. */
export function defaultImageName(project: string, service: string): string {
  return `${project}-${service}`;
}
