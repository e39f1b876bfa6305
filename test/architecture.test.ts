import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The pipeline of DESIGN.md as layers, lowest first: a module may import its own folder and lower layers
// only. Folders on one layer do not import each other (the scheduler knows jobs and outcomes, not Docker).
const LAYERS: Record<string, number> = {
  errors: 0,
  util: 1,
  exec: 1,
  config: 2,
  compose: 2,
  dockerfile: 2,
  init: 2,
  graph: 3,
  inputs: 4,
  select: 5,
  place: 5,
  plan: 6,
  check: 6,
  backends: 7,
  run: 7,
  cache: 8,
  matrix: 8,
  report: 8,
  session: 9,
  cli: 10,
  index: 11,
};

const SRC = path.resolve(import.meta.dirname, "../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** `src/plan/plan.ts` → `plan`; `src/errors.ts` → `errors`. */
function folderOf(file: string): string {
  const relative = path.relative(SRC, file).split(path.sep);
  return (relative[0] ?? "").replace(/\.(ts|js)$/, "");
}

/** Every relative module a file imports, statically or with `import()`, as the folder it lives in. */
function importedFolders(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)"(\.{1,2}\/[^"]+)"/g)].map(
    (m) => m[1] ?? "",
  );
  return specifiers.map((s) => folderOf(path.resolve(path.dirname(file), s)));
}

describe("the pipeline's layers", () => {
  const files = sourceFiles(SRC);

  it("knows every folder of src/", () => {
    expect([...new Set(files.map(folderOf))].filter((f) => !(f in LAYERS))).toEqual([]);
  });

  it("no module imports a higher step, or a sibling step on its own layer", () => {
    const wrong = files.flatMap((file) => {
      const from = folderOf(file);
      return importedFolders(file)
        .filter((to) => to !== from && !((LAYERS[to] ?? Infinity) < (LAYERS[from] ?? -Infinity)))
        .map((to) => `${path.relative(SRC, file)} imports ${to}`);
    });
    expect(wrong).toEqual([]);
  });

  it("only the exec module imports execa, only the report module listr2, only cli commander", () => {
    const owners: Record<string, string> = { execa: "exec", listr2: "report", commander: "cli" };
    const wrong = files.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return Object.entries(owners)
        .filter(([pkg, owner]) => new RegExp(`from "${pkg}"`).test(text) && folderOf(file) !== owner)
        .map(([pkg]) => `${path.relative(SRC, file)} imports ${pkg}`);
    });
    expect(wrong).toEqual([]);
  });
});
