import { formatLocation, type SourceLocation } from "../errors.js";

// Compose warns once per variable that is used but not set ("The "TAG" variable is not set. Defaulting to a
// blank string."). dockbuild says where: the first places the variable is used, each as file:line.

/** For each unset variable, in the order first met, the places it is used (the first few). */
export type UnsetUses = Map<string, SourceLocation[]>;

/** Places kept per variable: the first is the warning's own, the others follow it. */
const MAX_PLACES = 4;

/** Note one use of an unset variable; the same place twice is one. */
export function addUnsetUse(uses: UnsetUses, name: string, location: SourceLocation): void {
  let places = uses.get(name);
  if (!places) {
    places = [];
    uses.set(name, places);
  }
  if (places.length > MAX_PLACES) return;
  if (places.some((p) => p.file === location.file && p.line === location.line)) return;
  places.push(location);
}

/** Add every use of `more` to `uses`. */
export function mergeUnsetUses(uses: UnsetUses, more: UnsetUses): void {
  for (const [name, places] of more) for (const place of places) addUnsetUse(uses, name, place);
}

/**
 * Compose's warning for a variable that is used but not set, at the first place it is used (places in
 * file and line order), naming the next few: `compose.yaml:3: The "TAG" variable is not set. Defaulting to a
 * blank string. (also used at lines 6, 9)`.
 */
export function unsetWarning(name: string, places: readonly SourceLocation[] = []): string {
  const [first, ...others] = places;
  const where = first ? `${formatLocation(first)}: ` : "";
  const shown = others.slice(0, MAX_PLACES - 1);
  const lines = shown.filter((p) => p.file === first?.file && p.line !== undefined).map((p) => p.line);
  const elsewhere = shown.filter((p) => p.file !== first?.file || p.line === undefined).map(formatLocation);
  const named = [
    ...(lines.length > 0 ? [`line${lines.length > 1 ? "s" : ""} ${lines.join(", ")}`] : []),
    ...elsewhere,
  ];
  const more = others.length > shown.length ? ", …" : "";
  const also = named.length > 0 ? ` (also used at ${named.join(", ")}${more})` : "";
  return `${where}The "${name}" variable is not set. Defaulting to a blank string.${also}`;
}

/** One warning per variable, in file and line order of their first use. */
export function unsetWarnings(uses: UnsetUses): string[] {
  const fileRank = new Map<string, number>();
  for (const places of uses.values())
    for (const p of places) if (!fileRank.has(p.file)) fileRank.set(p.file, fileRank.size);
  const order = (a: SourceLocation, b: SourceLocation): number =>
    (fileRank.get(a.file) ?? 0) - (fileRank.get(b.file) ?? 0) || (a.line ?? 0) - (b.line ?? 0);
  return [...uses]
    .map(([name, places]) => ({ name, places: [...places].sort(order) }))
    .sort((a, b) => (a.places[0] && b.places[0] ? order(a.places[0], b.places[0]) : 0))
    .map(({ name, places }) => unsetWarning(name, places));
}
