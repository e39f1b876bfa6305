// The image reference grammar of the Docker client and registries (distribution/reference, regexp.go and
// normalize.go): `[host[:port]/]path[:tag][@digest]`, lowercase path, name at most 255 characters.

const ALPHANUMERIC = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|-+)";
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const PATH_RE = new RegExp(`^${PATH}$`);
const HEX_ID = /^[a-f0-9]{64}$/;

/** The longest name the grammar allows; longer input is refused before any pattern runs on it. */
const MAX_NAME = 255;
const MAX_REFERENCE = MAX_NAME + 1 + 128 + 1 + 256;

/**
 * Why `ref` is not an image reference the Docker client accepts, in its own words; undefined when it is.
 * A reference is never taken for a command-line option: none may start with `-`.
 */
export function imageReferenceProblem(ref: string): string | undefined {
  if (ref === "") return "repository name must have at least one component";
  if (ref.length > MAX_REFERENCE) return `repository name must not be more than ${MAX_NAME} characters`;
  let name = ref;
  const at = name.indexOf("@");
  if (at >= 0) {
    if (!DIGEST.test(name.slice(at + 1))) return "invalid digest format";
    name = name.slice(0, at);
  }
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/")) {
    if (!TAG.test(name.slice(colon + 1))) return "invalid tag format";
    name = name.slice(0, colon);
  }
  if (name.length > MAX_NAME) return `repository name must not be more than ${MAX_NAME} characters`;
  if (HEX_ID.test(name)) return "cannot specify 64-byte hexadecimal strings";
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  // The first part is a registry when it looks like a host (a dot, a port, localhost, or capitals).
  const hasDomain =
    slash >= 0 && (/[.:]/.test(first) || first === "localhost" || first.toLowerCase() !== first);
  if (hasDomain && !DOMAIN_RE.test(first)) return "invalid reference format";
  const path = hasDomain ? name.slice(slash + 1) : name;
  if (PATH_RE.test(path)) return undefined;
  return PATH_RE.test(path.toLowerCase()) ? "repository name must be lowercase" : "invalid reference format";
}
