import { describe, expect, test } from "vitest";
import { mergeNodes } from "../../src/compose/merge.js";
import { toPlain, type YMap, type YNode } from "../../src/compose/node.js";
import { normalizeServiceForms } from "../../src/compose/normalize-forms.js";
import { parseYaml } from "../../src/compose/parse-yaml.js";

/** A service as it is after reading: parsed, then its short and list forms normalized. */
function service(source: string, file = "/p/base.yaml"): YNode {
  const root = parseYaml(source, file, "/p").root;
  if (!root) throw new Error("no YAML");
  return normalizeServiceForms(root);
}

function merged(base: string, override: string): unknown {
  const result = mergeNodes(service(base), service(override, "/p/override.yaml"), ["services", "svc"]);
  return result && toPlain(result);
}

describe("mergeNodes (Compose merge rules)", () => {
  test.each([
    ["scalars are overridden", "image: a", "image: b", { image: "b" }],
    ["new keys are added", "image: a", "restart: always", { image: "a", restart: "always" }],
    [
      "build: ./dir short form merges with a mapping",
      "build: ./dir",
      "build: {target: t}",
      { build: { context: "./dir", target: "t" } },
    ],
    [
      "a mapping build merges with a later short form",
      "build: {context: a, target: t}",
      "build: ./b",
      { build: { context: "./b", target: "t" } },
    ],
    [
      "args merge key by key, list form and map form alike",
      "build: {args: {A: '1', B: '2'}}",
      "build: {args: [B=3, C]}",
      { build: { args: { A: "1", B: "3", C: null } } },
    ],
    [
      "labels and additional_contexts merge as maps",
      "build: {labels: [a=1], additional_contexts: {x: ./x}}",
      "build: {labels: {b: '2'}, additional_contexts: [y=./y]}",
      { build: { labels: { a: "1", b: "2" }, additional_contexts: { x: "./x", y: "./y" } } },
    ],
    [
      "build lists are appended without duplicates",
      "build: {tags: [a, b], platforms: [linux/amd64], cache_from: [c1], cache_to: [t1], entitlements: [e1]}",
      "build: {tags: [b, c], platforms: [linux/amd64, linux/arm64], cache_from: [c2], cache_to: [t1], entitlements: [e1]}",
      {
        build: {
          tags: ["a", "b", "c"],
          platforms: ["linux/amd64", "linux/arm64"],
          cache_from: ["c1", "c2"],
          cache_to: ["t1"],
          entitlements: ["e1"],
        },
      },
    ],
    [
      "extra_hosts: map and list forms become host:ip and are appended",
      "build: {extra_hosts: {db: 10.0.0.1}}",
      "build: {extra_hosts: ['db=10.0.0.1', 'cache:10.0.0.2']}",
      { build: { extra_hosts: ["db:10.0.0.1", "cache:10.0.0.2"] } },
    ],
    [
      "secrets: the short form merges with the long form",
      "build: {secrets: [npmrc]}",
      "build: {secrets: [{source: npmrc}, {source: token, target: t}]}",
      { build: { secrets: [{ source: "npmrc" }, { source: "token", target: "t" }] } },
    ],
    [
      "ssh: mapping and list forms are appended",
      "build: {ssh: {deploy: ./k}}",
      "build: {ssh: [default, deploy=./k]}",
      { build: { ssh: ["deploy=./k", "default"] } },
    ],
    [
      "ulimits: a number is soft and hard, merged key by key",
      "build: {ulimits: {nofile: 10}}",
      "build: {ulimits: {nofile: {hard: 20}}}",
      { build: { ulimits: { nofile: { soft: 10, hard: 20 } } } },
    ],
    [
      "depends_on list and map forms merge as one mapping",
      "depends_on: [db]",
      "depends_on: {cache: {condition: service_healthy}}",
      { depends_on: { db: {}, cache: { condition: "service_healthy" } } },
    ],
    [
      "profiles are appended without duplicates",
      "profiles: [a, b]",
      "profiles: [b, c]",
      { profiles: ["a", "b", "c"] },
    ],
    ["command is replaced, not appended", "command: [a, b]", "command: [c]", { command: ["c"] }],
    ["other sequences are appended", "ports: ['80']", "ports: ['443']", { ports: ["80", "443"] }],
    [
      "x- keys are replaced, not merged",
      "x-dockbuild: {skip: true}",
      "x-dockbuild: {groups: [g]}",
      { "x-dockbuild": { groups: ["g"] } },
    ],
    ["a null override keeps the base value", "image: a", "image:", { image: "a" }],
    [
      "!reset removes the key",
      "build: {context: ., target: t}",
      "build: {target: !reset null}",
      { build: { context: "." } },
    ],
    [
      "!override replaces instead of merging",
      "build: {tags: [a]}",
      "build: {tags: !override [b]}",
      { build: { tags: ["b"] } },
    ],
    [
      "!override on a mapping",
      "build: {args: {A: '1'}}",
      "build: {args: !override {B: '2'}}",
      { build: { args: { B: "2" } } },
    ],
  ])("%s", (_name, base, override, expected) => {
    expect(merged(base, override)).toEqual(expected);
  });

  test("the merged build key points at the file that set it last; the service keeps its first definition", () => {
    const base = parseYaml("services:\n  svc:\n    build: ./a\n", "/p/base.yaml", "/p").root!;
    const over = parseYaml("services:\n  svc:\n\n    build:\n      target: t\n", "/p/over.yaml", "/p").root!;
    const result = mergeNodes(base, over, []) as YMap;
    const services = result.entries.get("services")?.value as YMap;
    const svc = services.entries.get("svc");
    expect(svc?.key).toMatchObject({ file: "/p/base.yaml", line: 2 });
    expect((svc?.value as YMap).entries.get("build")?.key).toMatchObject({ file: "/p/over.yaml", line: 4 });
  });

  test("tags inside a brand-new value are stripped and its !reset entries dropped", () => {
    expect(merged("image: a", "build: {context: ., target: !reset null, tags: !override [x]}")).toEqual({
      image: "a",
      build: { context: ".", tags: ["x"] },
    });
  });
});
