import * as z from "zod";

// The `build` section of the Compose file schema, and the value shapes the rest of the schema shares:
// https://github.com/compose-spec/compose-spec/blob/v2.6.0/schema/compose-spec.json (definitions.service.build)

export const str = z.string({ error: "expected a string" });
export const strList = z.array(str, { error: "expected a list of strings" });
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: "expected a string, a number or a boolean",
});
const BOOLEAN = "expected a boolean (true or false)";
const INTEGER = "expected an integer";
/** Booleans may arrive as strings after interpolation (`no_cache: ${NO_CACHE:-false}`). */
export const boolish = z.union(
  [z.boolean(), z.string().regex(/^(true|false|yes|no|on|off|y|n)$/i, { error: BOOLEAN })],
  {
    error: BOOLEAN,
  },
);
/** Integers likewise (`ulimits: {nofile: ${NOFILE}}`). */
export const intish = z.union(
  [z.number().int({ error: INTEGER }), z.string().regex(/^-?\d+$/, { error: INTEGER })],
  {
    error: INTEGER,
  },
);
const mapOrList = <T extends z.ZodType>(value: T) =>
  z.union([z.record(z.string(), value), strList], { error: "expected a mapping or a list" });
export const strOrList = z.union([str, strList], { error: "expected a string or a list of strings" });

export const BUILD_KEYS = [
  "context",
  "dockerfile",
  "dockerfile_inline",
  "target",
  "args",
  "additional_contexts",
  "tags",
  "labels",
  "platforms",
  "cache_from",
  "cache_to",
  "secrets",
  "ssh",
  "network",
  "extra_hosts",
  "shm_size",
  "no_cache",
  "pull",
  "ulimits",
  "privileged",
  "entitlements",
  "isolation",
  "provenance",
  "sbom",
] as const;

const buildSecret = z.union(
  [
    str,
    z.strictObject(
      {
        source: str,
        target: str.optional(),
        uid: z.union([str, z.number()]).optional(),
        gid: z.union([str, z.number()]).optional(),
        mode: z.union([str, z.number()]).optional(),
      },
      { error: "expected a mapping" },
    ),
  ],
  { error: "expected a secret name or a mapping with source:" },
);

const ulimit = z.union(
  [intish, z.strictObject({ soft: intish, hard: intish }, { error: "expected a mapping" })],
  {
    error: "expected an integer or a mapping with soft: and hard:",
  },
);

/** `build:` in its mapping form; the string form (the context) is accepted beside it by the service schema. */
export const buildSchema = z
  .strictObject(
    {
      context: str,
      dockerfile: str,
      dockerfile_inline: str,
      target: str,
      args: mapOrList(scalar),
      additional_contexts: mapOrList(str),
      tags: strList,
      labels: mapOrList(scalar),
      platforms: strList,
      cache_from: strList,
      cache_to: strList,
      secrets: z.array(buildSecret, { error: "expected a list" }),
      ssh: z.union([str, strList, z.record(z.string(), z.union([str, z.null()]))], {
        error: "expected a mapping or a list",
      }),
      network: str,
      extra_hosts: z.union([strList, z.record(z.string(), strOrList)], {
        error: "expected a mapping or a list",
      }),
      shm_size: z.union([str, z.number()], { error: "expected a string or a number" }),
      no_cache: boolish,
      pull: boolish,
      ulimits: z.record(z.string(), ulimit, { error: "expected a mapping" }),
      privileged: boolish,
      entitlements: strList,
      isolation: str,
      provenance: z.union([z.boolean(), z.string()], { error: "expected a boolean or a string" }),
      sbom: z.union([z.boolean(), z.string()], { error: "expected a boolean or a string" }),
    },
    { error: "expected a mapping" },
  )
  .partial();
