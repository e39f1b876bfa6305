import { describe, expect, test } from "vitest";
import { get, toPlain, type YMap } from "../../src/compose/node.js";
import { excessiveAliasing, parseYaml } from "../../src/compose/parse-yaml.js";

function parse(source: string): YMap {
  const parsed = parseYaml(source, "/p/compose.yaml", "/p");
  expect(parsed.problems).toEqual([]);
  if (parsed.root?.kind !== "map") throw new Error("expected a mapping");
  return parsed.root;
}

describe("parseYaml", () => {
  test("every node and key keeps its file, line and folder", () => {
    const root = parse("services:\n  api:\n    build:\n      context: ./api\n");
    const api = root.entries.get("services")?.value as YMap;
    expect(api.entries.get("api")?.key).toEqual({ file: "/p/compose.yaml", line: 2, dir: "/p" });
    const build = get(get(api, "api"), "build") as YMap;
    expect(build.entries.get("context")?.value.origin.line).toBe(4);
  });

  test("an alias is the anchored node, converted once", () => {
    const root = parse("x-a: &a\n  image: shared\nservices:\n  one: *a\n  two: *a\n");
    const services = get(root, "services");
    expect(get(services, "one")).toBe(get(services, "two"));
    expect(toPlain(services!)).toEqual({ one: { image: "shared" }, two: { image: "shared" } });
  });

  test("merge keys: explicit keys win, then earlier sources over later ones", () => {
    const root = parse(
      [
        "x-a: &a {image: a, target: a, only_a: 1}",
        "x-b: &b {image: b, target: b, only_b: 2}",
        "one:",
        "  <<: [*a, *b]",
        "  target: own",
        "two:",
        "  target: own",
        "  <<: *b",
      ].join("\n"),
    );
    expect(toPlain(get(root, "one")!)).toEqual({ image: "a", target: "own", only_a: 1, only_b: 2 });
    expect(toPlain(get(root, "two")!)).toEqual({ image: "b", target: "own", only_b: 2 });
  });

  test("merged entries keep the line where the anchor wrote them", () => {
    const root = parse("x-a: &a\n  build: .\nsvc:\n  <<: *a\n");
    expect((get(root, "svc") as YMap).entries.get("build")?.key.line).toBe(2);
  });

  test("!reset and !override tags are kept, scalars still typed", () => {
    const root = parse("a: !reset null\nb: !override [1]\nc: !override 5\nd: !override {x: 1}\n");
    expect(get(root, "a")).toMatchObject({ kind: "scalar", value: null, tag: "reset" });
    expect(get(root, "b")).toMatchObject({ kind: "seq", tag: "override" });
    expect(get(root, "c")).toMatchObject({ kind: "scalar", value: 5, tag: "override" });
    expect(get(root, "d")).toMatchObject({ kind: "map", tag: "override" });
  });

  test("YAML 1.2 core types: yes stays a string, numbers are numbers, ~ is null", () => {
    expect(toPlain(parse("a: yes\nb: 0x10\nc: ~\nd: '3'\ne: true\n"))).toEqual({
      a: "yes",
      b: 16,
      c: null,
      d: "3",
      e: true,
    });
  });

  test("an empty file has no root", () => {
    expect(parseYaml("# only a comment\n", "/p/c.yaml", "/p")).toEqual({ root: undefined, problems: [] });
  });

  test.each([
    [
      "services:\n  api:\n    image: a\n   build: .\n",
      4,
      "invalid YAML: All mapping items must start at the same column",
    ],
    ["services:\n  api:\n    image: a\n    image: b\n", 4, "invalid YAML: Map keys must be unique"],
    ["services:\n  api:\n\timage: x\n", 3, "invalid YAML: Tabs are not allowed as indentation"],
    ["a: *nope\n", 1, "invalid YAML: unknown alias *nope"],
    ["x: &x 1\ny:\n  <<: *x\n", 3, "invalid YAML: a merge key (<<) needs a mapping or a list of mappings"],
  ])("syntax problem in %j", (source, line, message) => {
    const parsed = parseYaml(source, "/p/c.yaml", "/p");
    expect(parsed.problems[0]).toEqual({
      location: { file: "/p/c.yaml", line },
      message,
      hint: expect.any(String),
    });
  });

  test("an alias refers to the nearest anchor of that name before it, as YAML says", () => {
    const root = parse("a: &x one\nb: *x\nc: &x two\nd: *x\n");
    expect(toPlain(root)).toEqual({ a: "one", b: "one", c: "two", d: "two" });
  });

  test("a duplicate key is reported at its own line, in a map of any size", () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join("\n");
    const parsed = parseYaml(`${keys}\nk7: again\n`, "/p/c.yaml", "/p");
    expect(parsed.problems).toEqual([
      {
        location: { file: "/p/c.yaml", line: 20_001 },
        message: "invalid YAML: Map keys must be unique",
        hint: "fix the YAML syntax on this line",
      },
    ]);
  });
});

describe("excessiveAliasing: go-yaml's limit, which Compose applies", () => {
  test.each([
    [1000, 999, false, "up to 1,000 nodes, anything goes"],
    [1001, 100, false, "up to 100 aliased nodes, anything goes"],
    [10_000, 9_900, false, "99% aliased in a small document"],
    [10_000, 9_901, true, "more than 99% aliased in a small document"],
    [2_200_000, 1_150_000, false, "the allowed share falls between 400,000 and 4,000,000 nodes"],
    [2_200_000, 1_250_000, true, "…and is exceeded here"],
    [5_000_000, 500_000, false, "10% of a very large document"],
    [5_000_000, 500_001, true, "more than 10% of a very large document"],
  ])("%i decoded, %i through aliases → %s (%s)", (decoded, aliased, refused) => {
    expect(excessiveAliasing(decoded, aliased)).toBe(refused);
  });
});
