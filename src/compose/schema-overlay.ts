// What the Compose specification's JSON schema shipped by the `dclint` package (its draft-07 copy of
// compose-spec/schema/compose-spec.json) lacks against the specification as Compose reads it today
// (compose-spec/compose-go v2, schema/compose-spec.json), plus dockbuild's own `x-dockbuild` mapping.
// Each entry adds properties to the schema node at `at` (keys joined by "."; `$ref`s are not followed).

/** A JSON schema fragment, as plain data. */
export type SchemaNode = Record<string, unknown>;

const stringOrList: SchemaNode = {
  oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
};
const stringList: SchemaNode = { type: "array", items: { type: "string" } };
const flag: SchemaNode = { type: ["boolean", "string"] };

/** The keys of `x-dockbuild` on a service: dockbuild's own per-service settings. */
export const EXTENSION_SCHEMA: SchemaNode = {
  type: "object",
  properties: {
    dependsOn: stringList,
    depends_on: stringList,
    skip: flag,
    groups: stringList,
    builder: { type: "string" },
    builderLabels: stringList,
    builder_labels: stringList,
  },
  additionalProperties: false,
};

export interface OverlayEntry {
  /** Where the properties go: a path of keys into the schema. */
  at: string;
  properties: Record<string, SchemaNode>;
}

export const SCHEMA_OVERLAY: OverlayEntry[] = [
  {
    at: "definitions.service",
    properties: {
      "x-dockbuild": EXTENSION_SCHEMA,
      // init containers run before the service starts (compose-spec, 2026)
      pre_start: {
        type: "array",
        items: {
          type: "object",
          properties: {
            command: { $ref: "#/definitions/command" },
            image: { type: "string" },
            user: { type: "string" },
            privileged: flag,
            working_dir: { type: "string" },
            environment: { $ref: "#/definitions/list_or_dict" },
            per_replica: flag,
          },
          additionalProperties: false,
          patternProperties: { "^x-": {} },
        },
      },
    },
  },
  {
    at: "definitions.service.properties.build.oneOf.1",
    properties: {
      provenance: { type: ["string", "boolean"] },
      sbom: { type: ["string", "boolean"] },
      no_cache_filter: stringOrList,
    },
  },
  {
    at: "definitions.development.properties.watch.items",
    properties: { initial_sync: { type: "boolean" } },
  },
];

/** The schema with the overlay's properties added; `schema` is changed in place and returned. */
export function applyOverlay(schema: SchemaNode, overlay: readonly OverlayEntry[]): SchemaNode {
  for (const entry of overlay) {
    let node: unknown = schema;
    for (const key of entry.at.split(".")) node = (node as Record<string, unknown> | undefined)?.[key];
    if (typeof node !== "object" || node === null) throw new Error(`schema overlay: nothing at ${entry.at}`);
    const target = node as { properties?: Record<string, unknown> };
    target.properties = { ...target.properties, ...entry.properties };
  }
  return schema;
}
