import { formatProblem, type Problem } from "../errors.js";
import { toBoolean } from "./cast-types.js";
import { imageReferenceProblem } from "./image-reference.js";
import { blameUnset } from "./problem-causes.js";
import { text, toLocation, type YNode } from "./node.js";

// How Compose reads the scalar values a build uses once the model is decoded: "" is no value, booleans
// and sizes in Compose's grammars, image references in the Docker client's.

/** A scalar's text, with "" (an empty value or one that interpolated to nothing) read as absent. */
export function nonEmpty(node: YNode | undefined): string | undefined {
  const found = text(node);
  return found === "" ? undefined : found;
}

/** Booleans as Compose reads them, also from interpolated strings (`yes`, `on`, `true`). */
export function bool(node: YNode | undefined): boolean {
  const value = text(node);
  return value !== undefined && toBoolean(value) === true;
}

/**
 * A boolean the schema lets through as a string (for interpolation); Compose refuses one it cannot read
 * as a boolean when it decodes the model.
 */
export function flag(key: string, node: YNode | undefined, problems: Problem[]): boolean {
  const value = text(node);
  if (value === undefined || value === "") return false;
  const read = toBoolean(value);
  // Other types are the schema's to report; a string is what it lets through.
  if (read === undefined && node?.kind === "scalar" && typeof node.value === "string") {
    const problem = {
      location: toLocation(node.origin),
      message: `${key}: ${JSON.stringify(value)} is not a boolean`,
      hint: "write true or false",
    };
    problems.push(blameUnset(problem, node));
  }
  return read === true;
}

/** docker/go-units' RAMInBytes, which Compose decodes sizes with: `2gb`, `512m`, `1.5 GiB`, `67108864`. */
const SIZE = /^\d+(\.\d+)* ?([kKmMgGtTpP])?[iI]?[bB]?$/;

/** A size in bytes as Compose reads it; one it cannot read (even "") fails loading there too. */
export function size(key: string, node: YNode | undefined, problems: Problem[]): string | undefined {
  const value = text(node);
  if (value === undefined || !node) return undefined;
  if (!SIZE.test(value)) {
    const problem = {
      location: toLocation(node.origin),
      message: `${key}: invalid size: ${JSON.stringify(value)}`,
      hint: "write a number of bytes or a size such as 2gb or 512m",
    };
    problems.push(blameUnset(problem, node));
    return undefined;
  }
  return value;
}

/**
 * Whether an image reference (`image:`, a build tag) is one the Docker client accepts. One written wrong
 * (`acme/API`, `--format=…`) is a problem; one that is wrong only because a variable is not set
 * (`org/base:${TAG}`) is a warning at its line and is not used, so that the plan can still be shown.
 */
export function checkImageReference(
  key: string,
  node: YNode | undefined,
  problems: Problem[],
  warnings: string[],
): boolean {
  const ref = text(node);
  if (ref === undefined || !node) return false;
  const problem = imageReferenceProblem(ref);
  if (problem === undefined) return true;
  const shown =
    ref.length > 80 ? `${JSON.stringify(ref.slice(0, 60))}… (${ref.length} characters)` : JSON.stringify(ref);
  const unset = node.kind === "scalar" ? (node.unset ?? []) : [];
  const found: Problem = {
    location: toLocation(node.origin),
    message: `${key}: ${shown} is not a valid image reference: ${problem}`,
    hint: "write [registry/]name[:tag][@digest] with a lowercase name, e.g. registry.example.com/acme/api:1.0",
  };
  if (unset.length === 0) problems.push(found);
  else warnings.push(`${formatProblem(found)} (${unset.join(", ")} not set; ignored)`);
  return false;
}
