import { createHash } from "node:crypto";
import * as z from "zod";
import type { Problem, SourceLocation } from "../errors.js";
import { codeStamp } from "../util/state-dir.js";
import { projectStateFile, readStateFile, writeStateFile } from "../util/state-file.js";
import type { YMap } from "./node.js";
import type { Lookup } from "./template.js";
import { decodeNode, encodeNode } from "./ynode-json.js";

/** What reading one compose file gave: its tree (parsed, interpolated, validated, normalized) and findings. */
export interface ComposeFileRead {
  root: YMap | undefined;
  problems: Problem[];
  /** Each variable unset when it was interpolated, with the places it is used. */
  unset: [string, SourceLocation[]][];
  warnings: string[];
}

/**
 * Compose files read in earlier runs, by text, path and folder: parsing the YAML and validating it against the
 * JSON schema are most of what loading a project costs. An entry holds every variable the file's
 * interpolation looked up, with its value: it is used only while each has the same value now.
 */
export interface ComposeFileCache {
  find(text: string, file: string, dir: string, lookup: Lookup): ComposeFileRead | undefined;
  keep(
    text: string,
    file: string,
    dir: string,
    looked: ReadonlyMap<string, string | undefined>,
    read: ComposeFileRead,
  ): void;
  save(): Promise<void>;
}

const FILE = "compose-files.json";
/** Besides this run's files, as many earlier reads are kept, at least this many. */
const MIN_KEPT = 16;

const location = z.object({ file: z.string(), line: z.number().optional() });
const problem = z.object({
  location: location.optional(),
  message: z.string(),
  hint: z.string().optional(),
  service: z.string().optional(),
  unset: z.array(z.string()).optional(),
});
const entrySchema = z.object({
  vars: z.array(z.tuple([z.string(), z.string().nullable()])),
  root: z.unknown(),
  problems: z.array(problem),
  unset: z.array(z.tuple([z.string(), z.array(location)])),
  warnings: z.array(z.string()),
});
const fileSchema = z.object({
  code: z.string(),
  strings: z.array(z.string()),
  entries: z.array(z.tuple([z.string(), entrySchema])),
});
type Entry = z.infer<typeof entrySchema>;

/** The key of one file's read: its text, path and the folder its relative paths resolve against. */
export function composeFileKey(text: string, file: string, dir: string): string {
  return createHash("sha256")
    .update(JSON.stringify([text, file, dir]))
    .digest("base64url");
}

/** A lookup that remembers every variable asked for and what it was. */
export function recordingLookup(lookup: Lookup): { lookup: Lookup; looked: Map<string, string | undefined> } {
  const looked = new Map<string, string | undefined>();
  return {
    looked,
    lookup: (name) => {
      const value = lookup(name);
      looked.set(name, value);
      return value;
    },
  };
}

/** Read the reads stored for the project in `projectDir`; a missing, corrupt or foreign file is an empty cache. */
export async function loadComposeFileCache(projectDir: string): Promise<ComposeFileCache> {
  const code = codeStamp();
  const name = projectStateFile(projectDir, FILE);
  const stored = await readStateFile(name, fileSchema);
  const valid = stored?.code === code ? stored : undefined;
  const strings = valid?.strings ?? [];
  const known = new Map<string, Entry>(valid?.entries ?? []);
  const used = new Map<string, Entry>();
  const fresh = new Map<string, { looked: ReadonlyMap<string, string | undefined>; read: ComposeFileRead }>();
  return {
    find(text, file, dir, lookup) {
      const key = composeFileKey(text, file, dir);
      const entry = known.get(key);
      if (entry === undefined || !entry.vars.every(([name, value]) => (lookup(name) ?? null) === value))
        return undefined;
      const node = entry.root === null ? undefined : decodeNode(entry.root, strings);
      if (entry.root !== null && node?.kind !== "map") return undefined;
      used.set(key, entry);
      const root = node?.kind === "map" ? node : undefined;
      return { root, problems: entry.problems, unset: entry.unset, warnings: entry.warnings };
    },
    keep(text, file, dir, looked, read) {
      fresh.set(composeFileKey(text, file, dir), { looked, read });
    },
    async save() {
      if (fresh.size === 0) return;
      const table = new Map<string, number>();
      const entries = new Map<string, Entry>();
      for (const [key, { looked, read }] of fresh) {
        entries.set(key, {
          vars: [...looked].map(([name, value]) => [name, value ?? null]),
          root: read.root === undefined ? null : encodeNode(read.root, table),
          problems: read.problems,
          unset: read.unset,
          warnings: read.warnings,
        });
      }
      // earlier reads, the ones used in this run first; their trees are packed again with this run's names
      const limit = entries.size + Math.max(MIN_KEPT, used.size + entries.size);
      for (const [key, entry] of [...used, ...known]) {
        if (entries.size >= limit) break;
        if (entries.has(key)) continue;
        const node = entry.root === null ? null : decodeNode(entry.root, strings);
        if (node !== undefined)
          entries.set(key, { ...entry, root: node === null ? null : encodeNode(node, table) });
      }
      await writeStateFile(name, { code, strings: [...table.keys()], entries: [...entries] });
    },
  };
}
