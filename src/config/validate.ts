import { cacheConfig, configSchema } from "./schema.js";

export interface ConfigIssue {
  path: (string | number)[];
  message: string;
  hint?: string;
}

/** Check a parsed config against the schema and say, for each problem, which key and what to write instead. */
export function validateConfig(value: unknown): ConfigIssue[] {
  const parsed = configSchema.safeParse(value);
  if (parsed.success) return [];
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

function knownKeys(path: (string | number)[]): string[] {
  if (path.length === 0) return Object.keys(configSchema.shape);
  if (path[0] === "services" && path.length === 2) return ["args", "target", "tags"];
  if (path[0] === "cache" && path.length === 1) return Object.keys(cacheConfig.shape);
  return [];
}
