import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeDockerfile, parseDockerfile, type BuildArgs } from "../../src/dockerfile/index.js";
import { analysisKey, loadAnalysisCache, type AnalysisCache } from "../../src/graph/analysis-cache.js";
import { projectStateFile } from "../../src/util/state-file.js";
import { readFixture } from "../dockerfile/read-fixture.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh state folder, as DOCKBUILD_STATE_DIR. */
function stateEnv(): { DOCKBUILD_STATE_DIR: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "dockbuild-state-"));
  dirs.push(dir);
  return { DOCKBUILD_STATE_DIR: dir };
}

const PROJECT = "/work/acme";
const stored = (env: { DOCKBUILD_STATE_DIR: string }) =>
  path.join(env.DOCKBUILD_STATE_DIR, projectStateFile(PROJECT, "dockerfiles.json"));

/** Ask the cache as buildGraph does; `parses` counts the Dockerfiles it had to parse. */
let parses = 0;
function analyze(cache: AnalysisCache, text: string, file: string, args: BuildArgs = {}) {
  return cache.analyze(text, file, args, () => {
    parses += 1;
    return parseDockerfile(text, file);
  });
}

const CASES: { name: string; args: BuildArgs }[] = [
  { name: "multi-stage.Dockerfile", args: {} },
  { name: "arg-no-default.Dockerfile", args: {} },
  { name: "arg-no-default.Dockerfile", args: { BASE_IMAGE: "acme/base:1" } },
  { name: "arg-no-default.Dockerfile", args: { BASE_IMAGE: undefined } },
  { name: "run-mounts.Dockerfile", args: {} },
  { name: "copy-from.Dockerfile", args: {} },
];

describe("the analysis cache", () => {
  it("gives back, in a later run and without parsing, exactly what analyzeDockerfile returns", async () => {
    const env = stateEnv();
    const first = await loadAnalysisCache(PROJECT, env);
    for (const c of CASES) analyze(first, readFixture(c.name), c.name, c.args);
    await first.save();
    const second = await loadAnalysisCache(PROJECT, env);
    const before = parses;
    for (const c of CASES) {
      const fresh = analyzeDockerfile(readFixture(c.name), c.name, c.args);
      expect(analyze(second, readFixture(c.name), c.name, c.args)).toStrictEqual(fresh);
    }
    expect(parses, "every analysis came from the state folder").toBe(before);
  });

  it("keeps an arg without a value apart from no arg at all", () => {
    const text = readFixture("arg-no-default.Dockerfile");
    expect(analysisKey(text, { BASE_IMAGE: undefined })).not.toBe(analysisKey(text, {}));
    expect(analysisKey(text, { A: "1", B: "2" })).toBe(analysisKey(text, { B: "2", A: "1" }));
  });

  it("answers from the stored analysis, keyed by text and build args, read as the file asked for", async () => {
    const env = stateEnv();
    const text = readFixture("multi-stage.Dockerfile");
    const first = await loadAnalysisCache(PROJECT, env);
    analyze(first, text, "Dockerfile");
    await first.save();
    // what is stored is what is used: mark it
    type Stored = { entries: [string, { stages: { name: string }[] }][] };
    const file = JSON.parse(readFileSync(stored(env), "utf8")) as Stored;
    const [entry] = file.entries;
    expect(entry?.[0]).toBe(analysisKey(text, {}));
    const [stage] = entry?.[1].stages ?? [];
    if (stage) stage.name = "marked";
    writeFileSync(stored(env), JSON.stringify(file));
    const second = await loadAnalysisCache(PROJECT, env);
    const before = parses;
    expect(analyze(second, text, "Dockerfile").stages[0]?.name).toBe("marked");
    const other = analyze(second, text, "other/Dockerfile");
    expect(other.stages[0]?.name, "another file with the same text").toBe("marked");
    expect(other.file).toBe("other/Dockerfile");
    expect(other.stages.map((s) => s.location.file)).toEqual(other.stages.map(() => "other/Dockerfile"));
    expect(parses, "neither was parsed").toBe(before);
    const fresh = (args: BuildArgs, t = text) => analyze(second, t, "Dockerfile", args).stages[0]?.name;
    expect(fresh({ X: "1" }), "other build args").not.toBe("marked");
    expect(fresh({}, `${text}\n# edited`), "other text").not.toBe("marked");
  });

  it.each([
    { name: "not JSON", content: () => "{ half a file" },
    {
      name: "another shape",
      content: () => JSON.stringify({ code: "x", entries: [["k", { stages: "no" }]] }),
    },
    {
      name: "written by another build of dockbuild",
      content: (text: string) => text.replace(/"code": ?"/, '"code":"older-'),
    },
  ])("works everything out again from a file that is $name, and replaces it", async ({ content }) => {
    const env = stateEnv();
    const text = readFixture("multi-stage.Dockerfile");
    const first = await loadAnalysisCache(PROJECT, env);
    analyze(first, text, "Dockerfile");
    await first.save();
    const written = readFileSync(stored(env), "utf8");
    writeFileSync(stored(env), content(written.replaceAll(/"file": ?"Dockerfile"/g, '"file":"marked"')));
    const second = await loadAnalysisCache(PROJECT, env);
    expect(analyze(second, text, "Dockerfile")).toStrictEqual(analyzeDockerfile(text, "Dockerfile", {}));
    await second.save();
    expect(readFileSync(stored(env), "utf8")).toBe(written);
    expect(readdirSync(path.dirname(stored(env))), "no temporary file left").toEqual(["dockerfiles.json"]);
  });

  it("keeps each project's analyses apart", async () => {
    const env = stateEnv();
    const text = readFixture("multi-stage.Dockerfile");
    const first = await loadAnalysisCache(PROJECT, env);
    analyze(first, text, "Dockerfile");
    await first.save();
    const other = await loadAnalysisCache("/work/other", env);
    const before = parses;
    analyze(other, text, "Dockerfile");
    expect(parses, "another project's state is not read").toBe(before + 1);
  });

  it("keeps nothing without a state folder", async () => {
    const cache = await loadAnalysisCache(PROJECT, { DOCKBUILD_STATE_DIR: "" });
    const text = readFixture("multi-stage.Dockerfile");
    expect(analyze(cache, text, "Dockerfile")).toStrictEqual(analyzeDockerfile(text, "Dockerfile", {}));
    await cache.save();
  });
});
