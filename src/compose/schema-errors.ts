import type { OutputUnit } from "@cfworker/json-schema";

// Of the JSON schema validator's errors (every keyword that failed, wrappers included), the ones worth
// showing a person: the failing leaves, in the form of a `oneOf` that the value was meant for.

/**
 * An unknown key comes as an `additionalProperties` error on the mapping followed by a `false` error on
 * the key, located by the key's path alone; it takes its mapping's schema location, so that it sorts
 * into the right `oneOf` form and the keys allowed there can be named.
 */
export function withKeyLocations(errors: OutputUnit[]): OutputUnit[] {
  return errors.map((error, i) => {
    const previous = errors[i - 1];
    if (error.keyword !== "false" || previous?.keyword !== "additionalProperties") return error;
    return { ...error, keywordLocation: previous.keywordLocation };
  });
}

/** Wrappers only say that something below failed; the errors below say what. */
const WRAPPERS = new Set([
  "properties",
  "patternProperties",
  "additionalProperties",
  "$ref",
  "items",
  "additionalItems",
  "allOf",
  "anyOf",
  "contains",
  "dependencies",
  "propertyNames",
]);

/**
 * The errors worth showing. For a `oneOf` (a string or a mapping…) the branch the value was meant for is
 * the one whose type fits: its errors are kept and the other branches' dropped; when no branch's type
 * fits, one error says which types would.
 */
export function mostSpecific(errors: OutputUnit[]): OutputUnit[] {
  const oneOfs = errors.filter((error) => error.keyword === "oneOf");
  const outermost = oneOfs.filter(
    (error) => !oneOfs.some((other) => other !== error && within(error, other)),
  );
  const claimed = new Set<OutputUnit>();
  const out: OutputUnit[] = [];
  for (const oneOf of outermost) {
    claimed.add(oneOf);
    const branches = new Map<string, OutputUnit[]>();
    for (const error of errors) {
      if (!within(error, oneOf)) continue;
      claimed.add(error);
      const index = error.keywordLocation.slice(oneOf.keywordLocation.length + 1).split("/")[0] ?? "";
      branches.set(index, [...(branches.get(index) ?? []), error]);
    }
    const fitting = [...branches.values()].filter(
      (branch) =>
        !branch.some(
          (error) => error.keyword === "type" && error.instanceLocation === oneOf.instanceLocation,
        ),
    );
    if (branches.size === 0) out.push(oneOf);
    else if (fitting.length === 0) out.push({ ...oneOf, keyword: "type", error: "no branch" });
    else {
      const best = fitting.reduce((a, b) => (leaves(b) < leaves(a) ? b : a));
      out.push(...mostSpecific(best));
    }
  }
  for (const error of errors) {
    if (!claimed.has(error) && !WRAPPERS.has(error.keyword)) out.push(error);
  }
  return out;
}

/** Whether `error` comes from one of the forms of `oneOf`: below it in the schema and in the document. */
function within(error: OutputUnit, oneOf: OutputUnit): boolean {
  return (
    error.keywordLocation.startsWith(`${oneOf.keywordLocation}/`) &&
    (error.instanceLocation === oneOf.instanceLocation ||
      error.instanceLocation.startsWith(`${oneOf.instanceLocation}/`))
  );
}

function leaves(errors: OutputUnit[]): number {
  return errors.filter((error) => !WRAPPERS.has(error.keyword)).length;
}
