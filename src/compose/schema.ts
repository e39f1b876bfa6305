import * as z from "zod";

// The parts of the Compose file schema that dockbuild reads, with Compose's accepted forms:
// https://github.com/compose-spec/compose-spec/blob/v2.6.0/schema/compose-spec.json
// Unknown keys on a service are allowed (Compose has many); unknown keys inside `build` are not.

import { boolish, buildSchema, str, strList, strOrList } from "./build-schema.js";

export const EXTENSION_KEYS = ["depends_on", "dependsOn", "skip", "groups"] as const;

const extension = z
  .strictObject(
    { depends_on: strList, dependsOn: strList, skip: boolish, groups: strList },
    { error: "expected a mapping" },
  )
  .partial();

const service = z.looseObject(
  {
    image: str.optional(),
    build: z.union([str, buildSchema], { error: "expected a string (the context) or a mapping" }).optional(),
    profiles: strList.optional(),
    depends_on: z
      .union(
        [
          strList,
          z.record(
            z.string(),
            z.looseObject(
              {
                condition: z
                  .enum(["service_started", "service_healthy", "service_completed_successfully"], {
                    error: "expected service_started, service_healthy or service_completed_successfully",
                  })
                  .optional(),
                restart: boolish.optional(),
                required: boolish.optional(),
              },
              { error: "expected a mapping" },
            ),
          ),
        ],
        { error: "expected a mapping or a list" },
      )
      .optional(),
    extends: z
      .union([str, z.strictObject({ service: str, file: str.optional() }, { error: "expected a mapping" })], {
        error: "expected a service name or a mapping with service: and file:",
      })
      .optional(),
    env_file: z
      .union(
        [
          str,
          z.array(
            z.union([
              str,
              z.strictObject(
                { path: str, required: boolish.optional(), format: str.optional() },
                { error: "expected a mapping" },
              ),
            ]),
            { error: "expected a list" },
          ),
        ],
        { error: "expected a string or a list" },
      )
      .optional(),
    "x-dockbuild": extension.optional(),
  },
  { error: "expected a mapping" },
);

const include = z.union(
  [
    str,
    z.strictObject(
      { path: strOrList, project_directory: str.optional(), env_file: strOrList.optional() },
      { error: "expected a mapping" },
    ),
  ],
  { error: "expected a path or a mapping with path:" },
);

const secret = z.looseObject(
  {
    file: str.optional(),
    environment: str.optional(),
    external: z.union([boolish, z.object({})]).optional(),
    name: str.optional(),
  },
  { error: "expected a mapping" },
);

export const TOP_LEVEL_KEYS = [
  "version",
  "name",
  "include",
  "services",
  "networks",
  "volumes",
  "secrets",
  "configs",
  "models",
] as const;

/** A compose file as Compose's schema accepts it, for the keys dockbuild reads. */
export const composeFileSchema = z.strictObject(
  {
    version: z.union([z.string(), z.number()]).optional(),
    name: str.optional(),
    include: z.array(include, { error: "expected a list" }).optional(),
    services: z.record(z.string(), service, { error: "expected a mapping" }).nullable().optional(),
    networks: z.unknown().optional(),
    volumes: z.unknown().optional(),
    secrets: z.record(z.string(), secret, { error: "expected a mapping" }).nullable().optional(),
    configs: z.unknown().optional(),
    models: z.unknown().optional(),
  },
  { error: "expected a mapping" },
);
