/**
 * What is missing from an image name that a variable left empty (`org/base:${TAG}` with TAG unset gives
 * `org/base:`; `${REGISTRY}/api` gives `/api`), or undefined when no part is empty. Such a name matches no
 * FROM line as written, and the engine refuses it ("invalid reference format").
 */
export function emptyImagePart(ref: string): string | undefined {
  const name = ref.trim();
  if (name === "") return "is empty";
  if (name.endsWith(":")) return "has an empty tag";
  if (name.endsWith("@")) return "has an empty digest";
  const withoutDigest = name.split("@", 1)[0] ?? name;
  const colon = withoutDigest.lastIndexOf(":");
  const path = colon > withoutDigest.lastIndexOf("/") ? withoutDigest.slice(0, colon) : withoutDigest;
  if (path.startsWith("/") || path.endsWith("/") || path.includes("//")) return "has an empty name part";
  return undefined;
}
