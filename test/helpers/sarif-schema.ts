import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import AjvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";

// The SARIF 2.1.0 JSON schema as Microsoft's SARIF SDK ships it (@microsoft/jest-sarif): a JSON Schema draft-04
// document, so it is compiled with Ajv's draft-04 class.
const require = createRequire(import.meta.url);
// Both packages are CommonJS with their export also on `.default`, which is what TypeScript sees.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;
const SCHEMA_FILE = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");

// unicodeRegExp off: the schema's `language` pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is not a valid
// regular expression in unicode mode, and JSON Schema patterns are ECMA-262 without flags anyway.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as object);

/** The schema errors of a SARIF log (empty when it is valid), as `path: message` lines. */
export function sarifErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? "invalid"}`);
}
