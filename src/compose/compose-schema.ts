import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Validator, type Schema } from "@cfworker/json-schema";
import { SCHEMA_OVERLAY, applyOverlay, type SchemaNode } from "./schema-overlay.js";

// The Compose specification's JSON schema, as the `dclint` package ships it (schemas/compose.schema.json,
// draft-07; its package exports do not list the file, so it is read from beside its package.json).

export interface ComposeSchema {
  /** The schema with dockbuild's overlay, for looking up the keys valid at a place. */
  schema: SchemaNode;
  /** Reports every error. */
  validator: Validator;
  /** Stops at the first error: for a value with more errors than the full validator can gather. */
  firstError: Validator;
}

let loaded: ComposeSchema | undefined;

/** The schema is read and prepared once per process, on first use. */
export function composeSchema(): ComposeSchema {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const file = path.join(
    path.dirname(require.resolve("dclint/package.json")),
    "schemas",
    "compose.schema.json",
  );
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof parsed !== "object" || parsed === null || !("definitions" in parsed)) {
    throw new Error(`${file} is not the Compose JSON schema`);
  }
  const schema = applyOverlay(parsed as SchemaNode, SCHEMA_OVERLAY);
  // Its `$schema` names draft-07 by an address the validator does not know; the draft is given instead.
  delete schema.$schema;
  // The validator annotates the schema it is given: it gets a copy, the lookups keep the plain one.
  loaded = {
    schema,
    validator: new Validator(structuredClone(schema) as Schema, "7", false),
    firstError: new Validator(structuredClone(schema) as Schema, "7", true),
  };
  return loaded;
}
