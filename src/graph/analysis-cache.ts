import { createHash } from "node:crypto";
import * as z from "zod";
import {
  analysisAsFile,
  analyzeDockerfile,
  type BuildArgs,
  type DockerfileAnalysis,
} from "../dockerfile/index.js";
import type { AnalyzeDockerfile } from "./analyze.js";
import { dockerfileAnalysisSchema, storableAnalysis } from "../dockerfile/analysis-schema.js";
import { codeStamp } from "../util/state-dir.js";
import { projectStateFile, readStateFile, writeStateFile } from "../util/state-file.js";

/** Analyses worked out by earlier runs, by content: parsing is most of what loading a large project costs. */
export interface AnalysisCache {
  analyze: AnalyzeDockerfile;
  /** Keep this run's analyses (and the most recent earlier ones) for the next run. */
  save(): Promise<void>;
}

const FILE = "dockerfiles.json";
/** Besides this run's analyses, as many earlier ones are kept (a branch switched back and forth), at least this many. */
const MIN_KEPT = 64;

// Each analysis is validated when it is used, not all of them at every start.
const fileSchema = z.object({
  code: z.string(),
  entries: z.array(z.tuple([z.string(), z.unknown()])),
});

/**
 * The key of one analysis: everything `analyzeDockerfile` reads but the file's name, which only its locations
 * hold (a text copied into many folders is kept once, and read as each file). The state file records which
 * build of dockbuild wrote it, and is ignored whole by any other.
 */
export function analysisKey(text: string, args: BuildArgs): string {
  // an arg without a value is not the same as no arg (the analysis warns about it): null keeps it apart
  const entries = Object.entries(args)
    .map(([name, value]): [string, string | null] => [name, value ?? null])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256")
    .update(JSON.stringify([text, entries]))
    .digest("base64url");
}

/**
 * Read the analyses stored for the project in `projectDir`; a missing, corrupt or foreign file is an empty
 * cache, and so is a stored analysis that does not validate.
 */
export async function loadAnalysisCache(
  projectDir: string,
  env?: Record<string, string | undefined>,
): Promise<AnalysisCache> {
  const code = codeStamp();
  const name = projectStateFile(projectDir, FILE);
  const stored = await readStateFile(name, fileSchema, env);
  const known = new Map(stored?.code === code ? stored.entries : []);
  const used = new Map<string, DockerfileAnalysis>();
  let added = false;
  const storedAnalysis = (key: string): DockerfileAnalysis | undefined => {
    // without zod's compiled fast path, as in readStateFile: each analysis is parsed once
    const parsed = dockerfileAnalysisSchema.safeParse(known.get(key), { jitless: true });
    return parsed.success ? parsed.data : undefined;
  };
  return {
    analyze(text, file, args, parse) {
      const key = analysisKey(text, args);
      let analysis = used.get(key) ?? storedAnalysis(key);
      if (analysis === undefined) {
        analysis = analyzeDockerfile(parse(), file, args);
        added = true;
      }
      used.set(key, analysis);
      return analysisAsFile(analysis, file);
    },
    async save() {
      if (!added) return;
      const entries: [string, unknown][] = [...used].map(([k, a]) => [k, storableAnalysis(a)]);
      const room = Math.max(MIN_KEPT, used.size);
      for (const [key, value] of known) {
        if (entries.length >= used.size + room) break;
        if (!used.has(key)) entries.push([key, value]);
      }
      await writeStateFile(name, { code, entries }, env);
    },
  };
}
