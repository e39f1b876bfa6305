import * as z from "zod";
import { configSchema, type Config } from "./schema.js";

export interface ConfigIssue {
  path: (string | number)[];
  message: string;
  hint?: string;
}

/** Check a parsed config against the schema and say, for each problem, which key and what to write instead. */
export function validateConfig(value: unknown): ConfigIssue[] {
  const parsed = configSchema.safeParse(value);
  if (parsed.success) return builderIssues(parsed.data);
  return parsed.error.issues
    .map((issue) => {
      const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
      if (issue.code === "unrecognized_keys") {
        return issue.keys.map((key) => ({
          path: [...path, key],
          message: `unknown key "${key}"`,
          hint: `known keys here: ${knownKeys(path).join(", ")}`,
        }));
      }
      return [{ path, message: issue.message }];
    })
    .flat()
    .sort((a, b) => a.path.join(".").localeCompare(b.path.join(".")));
}

/** What the schema cannot say about builders: each name once, and a registry where several hand images over. */
function builderIssues(config: Config): ConfigIssue[] {
  const builders = config.builders ?? [];
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  builders.forEach((builder, i) => {
    if (seen.has(builder.name))
      issues.push({
        path: ["builders", i, "name"],
        message: `the builder name "${builder.name}" is used twice`,
      });
    seen.add(builder.name);
  });
  if (builders.length > 1 && config.registry === undefined) {
    issues.push({
      path: ["builders"],
      message: "several builders need a registry, where they hand images to each other",
      hint: "add `registry: HOST[:PORT]/PATH` (e.g. 127.0.0.1:5000/acme-build), a repository every builder can push to",
    });
  }
  return issues;
}

/** The keys the schema allows in the object at `path` (through records, arrays and optional values). */
function knownKeys(path: (string | number)[]): string[] {
  let schema: z.ZodType | undefined = configSchema;
  for (const key of path) {
    const here: z.ZodType = unwrap(schema);
    if (here instanceof z.ZodObject) schema = (here.shape as Record<string, z.ZodType>)[String(key)];
    else if (here instanceof z.ZodRecord) schema = here.valueType as z.ZodType;
    else if (here instanceof z.ZodArray) schema = here.element as z.ZodType;
    else return [];
    if (schema === undefined) return [];
  }
  const object = unwrap(schema);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType {
  let current = schema ?? z.never();
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodNullable ||
    current instanceof z.ZodDefault
  )
    current = current.unwrap() as z.ZodType;
  return current;
}
