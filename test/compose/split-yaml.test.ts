import { describe, expect, test } from "vitest";
import type { YNode } from "../../src/compose/node.js";
import { parseYaml } from "../../src/compose/parse-yaml.js";
import { safeLineStarts, splitDocument, type Piece } from "../../src/compose/split-yaml.js";

/** A node with every line it carries, for comparing two parses of one text. */
function shape(node: YNode | undefined): unknown {
  if (node === undefined) return undefined;
  const at = { line: node.origin.line, ...(node.tag ? { tag: node.tag } : {}) };
  if (node.kind === "scalar") return { ...at, value: node.value };
  if (node.kind === "seq") return { ...at, items: node.items.map(shape) };
  return {
    ...at,
    entries: [...node.entries].map(([key, entry]) => [key, entry.key.line, shape(entry.value)]),
  };
}

const whole = (source: string) =>
  parseYaml(source, "/p/c.yaml", "/p", { piecesFrom: Infinity, pieceChars: 0 });
const inPieces = (source: string) => parseYaml(source, "/p/c.yaml", "/p", { piecesFrom: 0, pieceChars: 40 });

/** A compose file whose services use what the file holds: anchors, merge keys, scalars of every style. */
function services(n: number, extra = ""): string {
  const lines = [
    "# a generated project",
    "name: acme",
    "x-common: &common",
    "  labels: {team: core}",
    "x-args: &args",
    "  NODE: '22'",
    "services:",
  ];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  svc-${i}:`,
      "    <<: *common",
      `    image: "acme/svc-${i}:dev"`,
      "    build:",
      "      context: ./app",
      "      args: *args",
      "    command: |",
      "      run it",
      "",
      "      twice",
      `    environment: [A=1,`,
      `      B=2]`,
      `    healthcheck: {test: "curl`,
      `      -f localhost"}`,
      "# between services",
    );
  }
  return `${lines.join("\n")}\n${extra}`;
}

describe("splitDocument: where a large YAML text can be cut", () => {
  test("line starts inside flow collections and multi-line scalars are not places to cut", () => {
    const source = "a: [1,\n  2]\nb: |\n  x\n\n  y\nc: 'q\n  r'\nd: plain\n  more\ne: 1\n";
    const lines = source.split("\n").map((_, i, all) => all.slice(0, i).join("\n").length + (i > 0 ? 1 : 0));
    expect(safeLineStarts(source)).toEqual([0, lines[2], lines[6], lines[8], lines[10], source.length]);
  });

  test.each([
    ["two documents", "a: 1\n---\nb: 2\n"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
  ])("%s: not cut", (_name, source) => {
    expect(splitDocument(source, 1)).toBeUndefined();
  });

  test("entries are grouped into pieces in order; a large mapping value is cut into groups of its entries", () => {
    const source = services(3);
    const pieces = splitDocument(source, 40) ?? [];
    const firstLine = (p: Piece) => source.slice(p.start, p.end).split("\n")[0];
    expect(pieces.map((p) => [p.start, p.end])).toEqual(
      pieces.map((p, i) => [i === 0 ? 0 : pieces[i - 1]?.end, p.end]),
    );
    expect(pieces.at(-1)?.end).toBe(source.length);
    expect(pieces.map(firstLine)).toEqual(["# a generated project", "x-args: &args", "services:"]);
    // each service holds a merge key, so it is not cut inside
    expect(pieces[2]?.inner?.pieces.map(firstLine)).toEqual(["  svc-0:", "  svc-1:", "  svc-2:"]);
    expect(pieces[2]?.inner?.pieces.map((p) => p.inner)).toEqual([undefined, undefined, undefined]);
  });

  test("a single huge entry is cut inside, at any depth", () => {
    const args = Array.from({ length: 50 }, (_, i) => `        A${i}: value-${i}\n`).join("");
    const source = `services:\n  app:\n    build:\n      context: .\n      args:\n${args}`;
    const line = (p: Piece | undefined) => source.slice(p?.start, p?.end).split("\n")[0];
    const [services] = splitDocument(source, 100) ?? [];
    const app = services?.inner?.pieces[0];
    const build = app?.inner?.pieces[0];
    const [context, argsPiece] = build?.inner?.pieces ?? [];
    expect([line(services), line(app), line(build), line(context), line(argsPiece)]).toEqual([
      "services:",
      "  app:",
      "    build:",
      "      context: .",
      "      args:",
    ]);
    expect(argsPiece?.inner?.pieces.length).toBeGreaterThan(5);
    expect(line(argsPiece?.inner?.pieces[0])).toBe("        A0: value-0");
  });

  test("a quoted key's mapping is cut too", () => {
    const args = Array.from({ length: 30 }, (_, i) => `    A${i}: value-${i}\n`).join("");
    for (const key of ['"app"', "'app'"]) {
      const source = `services:\n  ${key}:\n${args}`;
      const [services] = splitDocument(source, 100) ?? [];
      const app = services?.inner?.pieces[0];
      expect(app?.inner?.pieces.length).toBeGreaterThan(3);
    }
  });

  test("a mapping with a merge key among its entries stays whole", () => {
    const source = "x: &x {a: 1}\nservices:\n  <<: *x\n  one: 1\n  two: 2\n";
    expect(splitDocument(source, 1)?.find((p) => p.inner)).toBeUndefined();
  });
});

describe("parseYaml in pieces: the same tree, lines and problems as one parse", () => {
  test.each([
    ["services with anchors, merge keys, block and flow scalars", services(30)],
    ["a key that comes again in a later piece", services(5, "services:\n  again: 1\n")],
    ["a service that comes again in a later group", services(5).replace("  svc-4:", "  svc-1:")],
    ["a syntax error in a late piece", `${services(5)}broken: [1, 2\n`],
    ["an alias to an anchor defined later", `a: *later\n${services(3)}b: &later 1\n`],
    [
      "an alias bomb across pieces",
      `l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n${Array.from({ length: 8 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(", ")}]`).join("\n")}\n`,
    ],
    ["!reset and !override tags", `${services(2)}x-t: !reset null\nx-o: !override [1]\n`],
    ["a root that is not a mapping", "- a\n- b\n"],
    [
      "a line indented less than the entries, which ends the mapping",
      "groups:\n  a:\n    - web\n :\n  b\nc: 2\n",
    ],
    [
      "a line at column 0 inside a service",
      `${services(2)}  last:\n    target: x\n--from=    command:\n      - node\n`,
    ],
    ["a byte order mark at the start of a later line", "x: 1\n\uFEFFservices: {a: 1}\n"],
    ["a mapping nested too deep", `x: ${"[".repeat(300)}${"]".repeat(300)}\n${services(2)}`],
    [
      "block mappings nested too deep, every level large enough to be cut",
      `${Array.from({ length: 210 }, (_, i) => `${"  ".repeat(i)}k${i}:\n`).join("")}${"  ".repeat(210)}leaf: 1\n`,
    ],
    [
      "a key that comes again in a later group of one service's args",
      `services:\n  app:\n    build:\n      args:\n${Array.from({ length: 20 }, (_, i) => `        A${i % 15}: value-${i}\n`).join("")}`,
    ],
    [
      "a quoted service key whose entries come again in later groups",
      `services:\n  "app":\n${Array.from({ length: 20 }, (_, i) => `    build: {context: ./c${i}}\n`).join("")}  'web':\n    image: x\n`,
    ],
    [
      "a plain scalar written over several lines below its key",
      `x:\n  one line\n  and another\n${services(2)}`,
    ],
  ])("%s", (_name, source) => {
    const one = whole(source);
    const pieces = inPieces(source);
    expect(pieces.problems).toEqual(one.problems);
    expect(shape(pieces.root)).toEqual(shape(one.root));
  });

  test("an alias in a later piece is the very node its anchor made", () => {
    const root = inPieces(services(3)).root;
    const args = (name: string) => {
      const services = root?.kind === "map" ? root.entries.get("services")?.value : undefined;
      const service = services?.kind === "map" ? services.entries.get(name)?.value : undefined;
      const build = service?.kind === "map" ? service.entries.get("build")?.value : undefined;
      return build?.kind === "map" ? build.entries.get("args")?.value : undefined;
    };
    expect(args("svc-0")).toBeDefined();
    expect(args("svc-2")).toBe(args("svc-0"));
  });
});
