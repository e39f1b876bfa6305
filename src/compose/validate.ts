import type { OutputUnit } from "@cfworker/json-schema";
import type { Problem } from "../errors.js";
import { closestNames } from "../util/closest.js";
import { append } from "../util/append.js";
import { composeSchema } from "./compose-schema.js";
import { mostSpecific, withKeyLocations } from "./schema-errors.js";
import { formatPath, locate, nodeAt, toLocation, toPlain, type KeyPath, type YNode } from "./node.js";
import { blameUnset, serviceOf } from "./problem-causes.js";
import type { SchemaNode } from "./schema-overlay.js";

const REFERENCE = "https://docs.docker.com/reference/compose-file/";

/**
 * Compose validates each file against the Compose specification's JSON schema after interpolation; so
 * does dockbuild, reporting every problem at its own line, each with a hint ("did you mean build?").
 * `!reset` values only remove what an earlier file set, and are left out.
 */
export function validateComposeFile(root: YNode): Problem[] {
  const plain = toPlain(root, (value) => value.tag === "reset");
  if (!isObject(plain) || !isObject(plain.services)) return validateDocument(plain, root, [], new Map());
  // Each service is validated in a document of its own (the rest with empty services): the validator
  // gathers errors by spreading arrays, which fails past ~100,000 of them in one call.
  const { services, ...rest } = plain;
  const stubs = Object.fromEntries(Object.keys(services).map((name) => [name, {}]));
  const hints = new Map<string, string>();
  const problems = validateDocument({ ...rest, services: stubs }, root, [], hints);
  for (const [name, service] of Object.entries(services)) {
    append(problems, validateDocument({ services: { [name]: service } }, root, ["services", name], hints));
  }
  return problems;
}

/**
 * The problems of one document (the file, or one service in a file of its own) at `place`. `hints`
 * remembers the hint for an unknown key at a place in the schema: the same typo in 20,000 services is
 * looked up once.
 */
function validateDocument(
  document: unknown,
  root: YNode,
  place: KeyPath,
  hints: Map<string, string>,
): Problem[] {
  const { schema, validator, firstError } = composeSchema();
  let errors: OutputUnit[];
  let more = false;
  try {
    const result = validator.validate(document);
    if (result.valid) return [];
    errors = result.errors;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    more = true;
    try {
      errors = firstError.validate(document).errors;
    } catch (again) {
      if (!(again instanceof RangeError)) throw again;
      errors = [];
    }
  }
  const problems = mostSpecific(withKeyLocations(errors)).map((error) =>
    toProblem(error, root, schema, hints),
  );
  if (more) {
    problems.unshift({
      location: toLocation(locate(root, place, true)),
      message: `${where(place)}: more problems than can be listed`,
      hint: "a collection here has so many invalid items that the schema check gave up: fix them in parts",
    });
  }
  return problems;
}

function toProblem(error: OutputUnit, root: YNode, schema: SchemaNode, hints: Map<string, string>): Problem {
  const path = instancePath(error.instanceLocation, root);
  if (error.keyword === "false") {
    const parent = path.slice(0, -1);
    const key = String(path[path.length - 1]);
    const service = serviceOf(parent);
    return {
      ...(service === undefined ? {} : { service }),
      location: toLocation(locate(root, path, true)),
      message: `${where(parent)}: additional property '${key}' is not allowed`,
      hint: cached(hints, `${error.keywordLocation}\0${parent.length}\0${parent[0]}\0${key}`, () =>
        unknownKeyHint(key, parent, keysAt(schema, error.keywordLocation)),
      ),
    };
  }
  const service = serviceOf(path);
  const problem = {
    location: toLocation(locate(root, path)),
    message: `${where(path)}: ${describe(error, schema)}`,
    hint: `see ${REFERENCE}${section(path)}`,
  };
  return blameUnset(service === undefined ? problem : { ...problem, service }, nodeAt(root, path));
}

function describe(error: OutputUnit, schema: SchemaNode): string {
  const at = resolvePointer(schema, error.keywordLocation);
  switch (error.keyword) {
    case "type": {
      // For a oneOf no branch of which fits, the types of every branch.
      // `at` is the failing `type`, or for a oneOf none of whose forms fits, the list of forms.
      const types =
        error.error === "no branch" && Array.isArray(at)
          ? at.flatMap((branch) => typesOf(schema, branch))
          : typesOf(schema, { type: at });
      return `must be ${joinTypes([...new Set(types)])}`;
    }
    case "enum":
      return Array.isArray(at)
        ? `must be one of ${at.map((value) => String(value)).join(", ")}`
        : error.error;
    case "required": {
      const property = /"([^"]+)"/.exec(error.error)?.[1];
      return property === undefined ? error.error : `"${property}" is required`;
    }
    case "minimum":
      return `must be at least ${String(at)}`;
    case "maximum":
      return `must be at most ${String(at)}`;
    case "pattern":
      return `must match the pattern ${String(at)}`;
    case "uniqueItems":
      return `must not list the same item twice (${error.error.replace(/^Duplicate items at /, "").replace(/\.$/, "")})`;
    case "oneOf":
      return "matches more than one of the forms allowed here";
    default:
      return error.error;
  }
}

/** The types a schema node (or a `$ref` to one) allows, for "must be a string or a mapping". */
function typesOf(schema: SchemaNode, node: unknown): string[] {
  if (!isObject(node)) return [];
  if (typeof node.$ref === "string") return typesOf(schema, resolvePointer(schema, node.$ref));
  if (Array.isArray(node.oneOf)) return node.oneOf.flatMap((branch) => typesOf(schema, branch));
  const type = node.type;
  return Array.isArray(type) ? type.map(String) : typeof type === "string" ? [type] : [];
}

const TYPE_NAMES: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "a boolean",
  null: "null",
};

function joinTypes(types: string[]): string {
  const names = types.map((type) => TYPE_NAMES[type] ?? type);
  if (names.length <= 1) return names[0] ?? "something else";
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** The keys a mapping may have where an unknown one was found: the schema's `properties` there. */
function keysAt(schema: SchemaNode, keywordLocation: string): { keys: string[]; extensions: boolean } {
  // `…/additionalProperties` (the `false` schema) sits beside the `properties` of the mapping.
  const parent = resolvePointer(schema, keywordLocation.replace(/\/additionalProperties$/, ""));
  if (!isObject(parent)) return { keys: [], extensions: false };
  const keys = isObject(parent.properties) ? Object.keys(parent.properties) : [];
  const patterns = isObject(parent.patternProperties) ? Object.keys(parent.patternProperties) : [];
  return { keys, extensions: patterns.includes("^x-") };
}

function unknownKeyHint(
  key: string,
  parent: KeyPath,
  known: { keys: string[]; extensions: boolean },
): string {
  const close = closestNames(key, known.keys);
  if (close.length > 0) return `did you mean ${close.map((name) => `"${name}"`).join(" or ")}?`;
  if (parent.length === 1 && (parent[0] === "services" || parent[0] === "secrets")) {
    return "names may only use letters, digits, '.', '_' and '-'";
  }
  if (known.keys.length === 0 || known.keys.length > 40)
    return `see ${REFERENCE}${section([...parent, key])}`;
  const extensions = known.extensions ? " and x-… extensions" : "";
  return `the keys allowed here are ${known.keys.join(", ")}${extensions}`;
}

/** `#/services/api/build/tags/0` → `["services", "api", "build", "tags", 0]`, indexes where lists are. */
function instancePath(location: string, root: YNode): KeyPath {
  if (location === "#") return [];
  const parts = location.slice(2).split("/");
  const path: (string | number)[] = [];
  let node: YNode | undefined = root;
  for (const raw of parts) {
    // The validator writes pointers through encodeURI: decodeURI undoes exactly that.
    const part = decodeURI(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node?.kind === "seq") {
      path.push(Number(part));
      node = node.items[Number(part)];
    } else {
      path.push(part);
      node = node?.kind === "map" ? node.entries.get(part)?.value : undefined;
    }
  }
  return path;
}

/** Follows a schema pointer such as `#/properties/services/…/$ref/properties/build`, through `$ref`s. */
function resolvePointer(schema: SchemaNode, pointer: string): unknown {
  let node: unknown = schema;
  for (const raw of pointer.replace(/^#\/?/, "").split("/")) {
    if (raw === "") continue;
    if (raw === "$ref" && isObject(node) && typeof node.$ref === "string") {
      node = resolvePointer(schema, node.$ref);
      continue;
    }
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
  }
  return node;
}

function cached(cache: Map<string, string>, key: string, make: () => string): string {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function where(path: KeyPath): string {
  return path.length === 0 ? "top level" : formatPath(path);
}

function section(path: KeyPath): string {
  if (path[0] !== "services") return "";
  return path[2] === "build" ? "build/" : "services/";
}
