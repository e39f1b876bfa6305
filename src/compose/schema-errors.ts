import type { OutputUnit } from "@cfworker/json-schema";
import { append } from "../util/append.js";

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
 * fits, one error says which types would. Linear in the errors (times the nesting), however many there are.
 */
export function mostSpecific(errors: OutputUnit[]): OutputUnit[] {
  const oneOfsAt = new Map<string, OutputUnit[]>();
  for (const error of errors) {
    if (error.keyword !== "oneOf") continue;
    listAt(oneOfsAt, error.instanceLocation).push(error);
  }
  // Each error goes to the outermost oneOf it comes from, if any.
  const groups = new Map<OutputUnit, OutputUnit[]>();
  const loose: OutputUnit[] = [];
  for (const error of errors) {
    const outer = outermostOneOf(error, oneOfsAt);
    if (outer === undefined) {
      if (error.keyword === "oneOf") listAt(groups, error);
      else if (!WRAPPERS.has(error.keyword)) loose.push(error);
      continue;
    }
    listAt(groups, outer).push(error);
  }
  const out: OutputUnit[] = [];
  for (const [oneOf, inside] of groups) {
    const branches = new Map<string, OutputUnit[]>();
    for (const error of inside) {
      const index = error.keywordLocation.slice(oneOf.keywordLocation.length + 1).split("/")[0] ?? "";
      listAt(branches, index).push(error);
    }
    const fitting = [...branches.values()].filter(
      (branch) =>
        !branch.some(
          (error) => error.keyword === "type" && error.instanceLocation === oneOf.instanceLocation,
        ),
    );
    if (branches.size === 0) out.push(oneOf);
    else if (fitting.length === 0) out.push({ ...oneOf, keyword: "type", error: "no branch" });
    else append(out, mostSpecific(fitting.reduce((a, b) => (leaves(b) < leaves(a) ? b : a))));
  }
  append(out, loose);
  return out;
}

/**
 * The outermost `oneOf` error that `error` comes from (below it in the schema and in the document): found
 * by looking at the oneOfs of each place on the error's path, not by comparing every pair of errors.
 */
function outermostOneOf(error: OutputUnit, oneOfsAt: Map<string, OutputUnit[]>): OutputUnit | undefined {
  let outer: OutputUnit | undefined;
  let place = error.instanceLocation;
  for (;;) {
    for (const oneOf of oneOfsAt.get(place) ?? []) {
      if (oneOf === error || !error.keywordLocation.startsWith(`${oneOf.keywordLocation}/`)) continue;
      if (!outer || oneOf.keywordLocation.length < outer.keywordLocation.length) outer = oneOf;
    }
    const slash = place.lastIndexOf("/");
    if (slash < 0) return outer;
    place = place.slice(0, slash);
  }
}

function leaves(errors: OutputUnit[]): number {
  return errors.filter((error) => !WRAPPERS.has(error.keyword)).length;
}

/** The list kept under `key`, made on first use. */
function listAt<K, V>(lists: Map<K, V[]>, key: K): V[] {
  let list = lists.get(key);
  if (!list) {
    list = [];
    lists.set(key, list);
  }
  return list;
}
