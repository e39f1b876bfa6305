import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { composeFileKey } from "../../src/compose/file-cache.js";
import { parseYaml } from "../../src/compose/parse-yaml.js";
import { decodeNode, encodeNode } from "../../src/compose/ynode-json.js";
import { projectStateFile } from "../../src/util/state-file.js";
import { fixture, load, problemsOf } from "./helpers.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const FIXTURES = [
  "anchors",
  "build-forms",
  "extends-local",
  "include",
  "interpolation",
  "merge-keys",
  "multi-file",
];

describe("a compose tree as JSON", () => {
  it.each(FIXTURES)("%s: packed and read back, the very tree the parser made", (name) => {
    const file = fixture(name, "compose.yaml");
    const parsed = parseYaml(readFileSync(file, "utf8"), file, path.dirname(file));
    if (parsed.root === undefined) throw new Error("no tree");
    const strings = new Map<string, number>();
    const packed: unknown = JSON.parse(JSON.stringify(encodeNode(parsed.root, strings)));
    expect(decodeNode(packed, [...strings.keys()])).toStrictEqual(parsed.root);
  });

  it.each([
    ["not a node", { kind: "map" }],
    ["an unknown kind", ["x", 1, [0, 1, 0], 0]],
    ["a name the table lacks", ["s", "a", [7, 1, 0], 0]],
    ["an unknown merge tag", ["s", "a", [0, 1, 0], "append"]],
    ["an object for a scalar", ["s", { a: 1 }, [0, 1, 0], 0]],
    ["a map entry without a key", ["m", [[1, [0, 1, 0], ["s", 1, [0, 1, 0], 0]]], [0, 1, 0], 0]],
    [
      "a bad item deep in a list",
      [
        "q",
        [
          ["s", "ok", [0, 1, 0], 0],
          ["s", "x", [0, "1", 0], 0],
        ],
        [0, 1, 0],
        0,
      ],
    ],
    ["unset names that are not strings", ["s", "", [0, 1, 0], 0, [1]]],
  ])("reads nothing from %s", (_name, value) => {
    expect(decodeNode(value, ["compose.yaml"])).toBeUndefined();
  });
});

describe("compose files kept in the state folder", () => {
  let state: string;
  beforeEach(() => {
    state = mkdtempSync(path.join(tmpdir(), "dockbuild-compose-state-"));
    dirs.push(state);
    vi.stubEnv("DOCKBUILD_STATE_DIR", state);
  });
  afterEach(() => vi.unstubAllEnvs());
  const stored = (name = "interpolation") =>
    path.join(state, projectStateFile(fixture(name), "compose-files.json"));

  it.each(FIXTURES)("%s: a later load gives exactly what a first load gave", async (name) => {
    const env = { TAG: "1.2", REGISTRY: "registry.local", HOME: "/home/me" };
    const first = await load(name, { env });
    expect(readFileSync(stored(name), "utf8")).toContain(
      composeFileKey(
        readFileSync(fixture(name, "compose.yaml"), "utf8"),
        fixture(name, "compose.yaml"),
        fixture(name),
      ),
    );
    expect(await load(name, { env })).toStrictEqual(first);
  });

  it("answers from what it stored, while every variable the file looked up has its value", async () => {
    const env = { TAG: "1.2", REGISTRY: "registry.local" };
    const fresh = await load("interpolation", { env });
    // what is stored is what is used: mark the image name the interpolation made
    const text = readFileSync(stored(), "utf8");
    expect(text).toContain("registry.local/forms:1.2");
    writeFileSync(stored(), text.replaceAll("registry.local/forms", "marked/forms"));
    const marked = JSON.stringify(await load("interpolation", { env }));
    expect(marked).toContain("marked");
    expect(JSON.stringify(await load("interpolation", { env: { ...env, UNRELATED: "x" } }))).toContain(
      "marked",
    );
    // the variable changed: read again, and right
    const changed = await load("interpolation", { env: { ...env, TAG: "2.0" } });
    expect(JSON.stringify(changed)).not.toContain("marked");
    expect(JSON.stringify(changed)).toContain("2.0");
    expect(changed).not.toStrictEqual(fresh);
  });

  it("keeps where each unset variable is used, and the values they left blank", async () => {
    const first = await load("interpolation", { env: {} });
    expect(first.warnings.some((w) => /^.*compose\.yaml:\d+: The "\w+" variable is not set/.test(w))).toBe(
      true,
    );
    expect(readFileSync(stored(), "utf8")).toContain('"unset":[["');
    expect(await load("interpolation", { env: {} })).toStrictEqual(first);
  });

  it("keeps the problems of a broken file, and reports them again", async () => {
    const first = await problemsOf("errors/many");
    expect(first.length).toBeGreaterThan(1);
    expect(await problemsOf("errors/many")).toEqual(first);
  });

  it.each([
    ["not JSON", () => "{"],
    ["of another shape", () => '{"code":"x","strings":[],"entries":[["k",{"vars":"no"}]]}'],
    ["written by another build of dockbuild", (text: string) => text.replace(/"code": ?"/, '"code":"older-')],
  ])("reads everything again from a file %s", async (_name, corrupt) => {
    const env = { TAG: "1.2", REGISTRY: "registry.local" };
    const fresh = await load("interpolation", { env });
    writeFileSync(
      stored(),
      corrupt(readFileSync(stored(), "utf8").replaceAll("registry.local/forms", "marked/forms")),
    );
    expect(await load("interpolation", { env })).toStrictEqual(fresh);
  });
});
