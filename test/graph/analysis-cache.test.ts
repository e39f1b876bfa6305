import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeDockerfile } from "../../src/dockerfile/index.js";
import { analysisKey, loadAnalysisCache } from "../../src/graph/analysis-cache.js";
import { readFixture } from "../dockerfile/read-fixture.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh state folder, as DOCKBUILD_STATE_DIR. */
function stateEnv(): { DOCKBUILD_STATE_DIR: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "dockbuild-state-"));
  dirs.push(dir);
  return { DOCKBUILD_STATE_DIR: dir };
}

const file = (env: { DOCKBUILD_STATE_DIR: string }) => path.join(env.DOCKBUILD_STATE_DIR, "dockerfiles.json");

const CASES = [
  { name: "multi-stage.Dockerfile", args: {} },
  { name: "arg-no-default.Dockerfile", args: {} },
  { name: "arg-no-default.Dockerfile", args: { BASE_IMAGE: "acme/base:1" } },
  { name: "run-mounts.Dockerfile", args: {} },
  { name: "copy-from.Dockerfile", args: {} },
];

describe("the analysis cache", () => {
  it("gives back, in a later run, exactly what analyzeDockerfile returns (ARGs without a value too)", async () => {
    const env = stateEnv();
    const first = await loadAnalysisCache(env);
    for (const c of CASES) first.analyze(readFixture(c.name), c.name, c.args);
    await first.save();
    const second = await loadAnalysisCache(env);
    for (const c of CASES) {
      const fresh = analyzeDockerfile(readFixture(c.name), c.name, c.args);
      expect(second.analyze(readFixture(c.name), c.name, c.args)).toStrictEqual(fresh);
    }
    expect(fresh(readFixture("arg-no-default.Dockerfile")).globalArgs).toStrictEqual({
      BASE_IMAGE: undefined,
    });
  });

  it("answers from the stored analysis, keyed by text, file and build args", async () => {
    const env = stateEnv();
    const text = readFixture("multi-stage.Dockerfile");
    const first = await loadAnalysisCache(env);
    first.analyze(text, "Dockerfile", {});
    await first.save();
    // what is stored is what is used: mark it
    const stored = JSON.parse(readFileSync(file(env), "utf8")) as { entries: [string, { file: string }][] };
    const [entry] = stored.entries;
    expect(entry?.[0]).toBe(analysisKey(text, "Dockerfile", {}));
    if (entry) entry[1].file = "marked";
    writeFileSync(file(env), JSON.stringify(stored));
    const second = await loadAnalysisCache(env);
    expect(second.analyze(text, "Dockerfile", {}).file).toBe("marked");
    expect(second.analyze(text, "other/Dockerfile", {}).file, "another file").toBe("other/Dockerfile");
    expect(second.analyze(text, "Dockerfile", { X: "1" }).file, "other build args").toBe("Dockerfile");
    expect(second.analyze(`${text}\n# edited`, "Dockerfile", {}).file, "other text").toBe("Dockerfile");
  });

  it.each([
    { name: "not JSON", content: "{ half a file" },
    { name: "another shape", content: JSON.stringify({ code: "x", entries: [["k", { stages: "no" }]] }) },
    { name: "written by another build of dockbuild", content: "" },
  ])("works everything out again from a file that is $name, and replaces it", async ({ content }) => {
    const env = stateEnv();
    const text = readFixture("multi-stage.Dockerfile");
    const first = await loadAnalysisCache(env);
    first.analyze(text, "Dockerfile", {});
    await first.save();
    const stored = JSON.parse(readFileSync(file(env), "utf8")) as {
      code: string;
      entries: [string, { file: string }][];
    };
    for (const e of stored.entries) e[1].file = "marked";
    writeFileSync(
      file(env),
      content === "" ? JSON.stringify({ ...stored, code: `${stored.code}-old` }) : content,
    );
    const second = await loadAnalysisCache(env);
    expect(second.analyze(text, "Dockerfile", {})).toStrictEqual(analyzeDockerfile(text, "Dockerfile", {}));
    await second.save();
    expect(JSON.parse(readFileSync(file(env), "utf8"))).toMatchObject({ code: stored.code });
    expect(readdirSync(env.DOCKBUILD_STATE_DIR), "no temporary file left").toEqual(["dockerfiles.json"]);
  });

  it("keeps nothing without a state folder", async () => {
    const cache = await loadAnalysisCache({ DOCKBUILD_STATE_DIR: "" });
    const text = readFixture("multi-stage.Dockerfile");
    expect(cache.analyze(text, "Dockerfile", {})).toStrictEqual(analyzeDockerfile(text, "Dockerfile", {}));
    await cache.save();
  });
});

function fresh(text: string) {
  return analyzeDockerfile(text, "arg-no-default.Dockerfile", {});
}
