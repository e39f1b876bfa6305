import * as z from "zod";
import type { DockerfileAnalysis } from "./types.js";

// A DockerfileAnalysis as JSON, for the state folder. JSON has no `undefined`: an ARG without a value is kept
// as null there and read back as undefined, so that a stored analysis equals the one just worked out.

const location = z.object({ file: z.string(), line: z.number().optional() });

const base = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("stage"), stage: z.string() }),
  z.object({ kind: z.literal("image"), ref: z.string() }),
  z.object({ kind: z.literal("scratch") }),
  z.object({ kind: z.literal("unresolved"), raw: z.string(), missing: z.array(z.string()) }),
]);

const args = z
  .record(z.string(), z.string().nullable())
  .transform((record) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v ?? undefined])));

const stage = z.object({
  name: z.string(),
  index: z.number(),
  named: z.boolean(),
  base,
  rawFrom: z.string(),
  platform: z.string().optional(),
  sources: z.array(
    z.object({ from: base, raw: z.string(), instruction: z.enum(["COPY", "ADD", "RUN"]), location }),
  ),
  cacheMounts: z.array(
    z.object({
      id: z.string(),
      target: z.string(),
      sharing: z.enum(["shared", "private", "locked"]),
      stage: z.string(),
      location,
    }),
  ),
  steps: z.number(),
  progressTotal: z.number().optional(),
  location,
});

/** Validates a stored analysis and gives it back exactly as `analyzeDockerfile` returned it. */
export const dockerfileAnalysisSchema = z.object({
  file: z.string(),
  stages: z.array(stage),
  globalArgs: args,
  resolvedArgs: args.optional(),
  warnings: z.array(z.object({ message: z.string(), location, variable: z.string().optional() })),
  errors: z.array(z.object({ location, message: z.string(), hint: z.string().optional() })),
}) satisfies z.ZodType<DockerfileAnalysis, unknown>;

/** An analysis as JSON can hold it: the ARGs without a value as null. */
export function storableAnalysis(analysis: DockerfileAnalysis): unknown {
  const nulls = (record: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v ?? null]));
  return {
    ...analysis,
    globalArgs: nulls(analysis.globalArgs),
    ...(analysis.resolvedArgs !== undefined ? { resolvedArgs: nulls(analysis.resolvedArgs) } : {}),
  };
}
