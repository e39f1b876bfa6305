import { describe, expect, test } from "vitest";
import { castTypes, toBoolean } from "../../src/compose/cast-types.js";
import { toPlain } from "../../src/compose/node.js";
import { parseYaml } from "../../src/compose/parse-yaml.js";
import { pattern, matchesPath, rootScope } from "../../src/compose/path-match.js";

function cast(source: string) {
  const parsed = parseYaml(source, "/p/compose.yaml", "/p");
  if (!parsed.root) throw new Error("no root");
  const result = castTypes(parsed.root);
  return { value: toPlain(result.root), problems: result.problems.map((p) => p.message) };
}

describe("castTypes: the strings Compose turns into numbers and booleans as it interpolates", () => {
  test("strings at Compose's cast paths become numbers and booleans; elsewhere they stay strings", () => {
    expect(
      cast(
        [
          "services:",
          "  app:",
          "    privileged: 'yes'",
          "    scale: '3'",
          "    cpus: '1.5'",
          "    depends_on: { db: { condition: service_started, required: 'false', restart: 'on' } }",
          "    ulimits: { nofile: '1024', nproc: { soft: '10', hard: '20' } }",
          "    ports: [{ target: '80', published: '8080' }]",
          "    environment: { DEBUG: 'true' }",
          "    build: { context: ., privileged: 'true' }",
          "networks:",
          "  front: { external: 'true' }",
          "",
        ].join("\n"),
      ),
    ).toEqual({
      value: {
        services: {
          app: {
            privileged: true,
            scale: 3,
            cpus: 1.5,
            depends_on: { db: { condition: "service_started", required: false, restart: true } },
            ulimits: { nofile: 1024, nproc: { soft: 10, hard: 20 } },
            ports: [{ target: 80, published: "8080" }],
            environment: { DEBUG: "true" },
            build: { context: ".", privileged: "true" },
          },
        },
        networks: { front: { external: true } },
      },
      problems: [],
    });
  });

  test("a string that cannot be cast is an error at its path", () => {
    expect(cast("services:\n  app:\n    init: maybe\n    pids_limit: lots\n    cpus: x1\n").problems).toEqual(
      [
        'services.app.init: "maybe" is not a boolean',
        'services.app.pids_limit: "lots" is not an integer',
        'services.app.cpus: "x1" is not a number',
      ],
    );
  });

  test.each([
    ["true", true],
    ["TRUE", true],
    ["y", true],
    ["yes", true],
    ["on", true],
    ["false", false],
    ["n", false],
    ["No", false],
    ["off", false],
    ["1", undefined],
    ["", undefined],
  ])("toBoolean(%j) → %s, as compose-go's toBoolean", (value, expected) => {
    expect(toBoolean(value)).toBe(expected);
  });
});

describe("path patterns", () => {
  test.each([
    ["services.*.build", ["services", "api", "build"], true],
    ["services.*.build", ["services", "api", "build", "args"], false],
    ["services.*.ports.*.target", ["services", "api", "ports", 0, "target"], true],
    ["secrets.*.file", ["configs", "a", "file"], false],
  ])("%s matches %j: %s", (text, path, expected) => {
    expect(matchesPath(pattern(text), path)).toBe(expected);
  });

  test("a scope is inside once a pattern matched a prefix, outside once none can match", () => {
    const root = rootScope([pattern("services.*.build"), pattern("name")]);
    const service = root.child("services").child("api");
    expect([service.inside, service.outside]).toEqual([false, false]);
    expect(service.child("build").child("args").inside).toBe(true);
    expect(service.child("environment").outside).toBe(true);
    expect(root.child("name").inside).toBe(true);
    // equal places are the same scope object, so that walks can cache per scope
    expect(root.child("services").child("web")).toBe(service);
  });
});
