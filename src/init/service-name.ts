/** A Compose service name from a package name: lower case, letters, digits, `-` and `_`. */
export function serviceName(raw: string): string {
  const clean = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[^a-z0-9]+|-+$/g, "");
  return clean === "" ? "app" : clean;
}
