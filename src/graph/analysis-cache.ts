import { createHash } from "node:crypto";
import * as z from "zod";
import { analyzeDockerfile, type BuildArgs, type DockerfileAnalysis } from "../dockerfile/index.js";
import type { AnalyzeDockerfile } from "./analyze.js";
import { dockerfileAnalysisSchema, storableAnalysis } from "../dockerfile/analysis-schema.js";
import { codeStamp } from "../util/state-dir.js";
import { readStateFile, writeStateFile } from "../util/state-file.js";

/** Analyses worked out by earlier runs, by content: parsing is most of what loading a large project costs. */
export interface AnalysisCache {
  analyze: AnalyzeDockerfile;
  /** Keep this run's analyses (and the most recent earlier ones) for the next run. */
  save(): Promise<void>;
}

const FILE = "dockerfiles.json";
/** Enough for several large monorepos; the least recently used go first. */
const MAX_ENTRIES = 2_000;

const fileSchema = z.object({
  code: z.string(),
  entries: z.array(z.tuple([z.string(), dockerfileAnalysisSchema])),
});

/**
 * The key of one analysis: everything `analyzeDockerfile` reads. The file records which build of dockbuild
 * wrote it, and is ignored whole by any other.
 */
export function analysisKey(text: string, file: string, args: BuildArgs): string {
  // an arg without a value is not the same as no arg (the analysis warns about it): null keeps it apart
  const entries = Object.entries(args)
    .map(([name, value]): [string, string | null] => [name, value ?? null])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256")
    .update(JSON.stringify([text, file, entries]))
    .digest("base64url");
}

/** Read the stored analyses; a missing, corrupt or foreign file is an empty cache. */
export async function loadAnalysisCache(env?: Record<string, string | undefined>): Promise<AnalysisCache> {
  const code = codeStamp();
  const stored = await readStateFile(FILE, fileSchema, env);
  const known = new Map(stored?.code === code ? stored.entries : []);
  const used = new Map<string, DockerfileAnalysis>();
  let added = false;
  return {
    analyze(text, file, args, parse) {
      const key = analysisKey(text, file, args);
      let analysis = used.get(key) ?? known.get(key);
      if (analysis === undefined) {
        analysis = analyzeDockerfile(parse(), file, args);
        added = true;
      }
      used.set(key, analysis);
      return analysis;
    },
    async save() {
      if (!added) return;
      const kept = [...used, ...[...known].filter(([key]) => !used.has(key))].slice(0, MAX_ENTRIES);
      await writeStateFile(FILE, { code, entries: kept.map(([k, a]) => [k, storableAnalysis(a)]) }, env);
    },
  };
}
