import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/validate.js";
import { lineOfPath } from "../../src/util/yaml-location.js";

describe("validateConfig", () => {
  it("accepts a full config", () => {
    expect(
      validateConfig({
        files: ["compose.yaml"],
        groups: { backend: ["api", "worker"] },
        services: { api: { args: { A: "1" }, target: "prod", tags: ["x:1"] } },
        docker: "/usr/bin/docker",
        backend: "docker",
        concurrency: 4,
      }),
    ).toEqual([]);
  });
  it("names unknown keys with their path and the known ones", () => {
    expect(validateConfig({ grups: {}, services: { api: { targett: "x" } } })).toEqual([
      { path: ["grups"], message: 'unknown key "grups"', hint: expect.stringContaining("groups") },
      {
        path: ["services", "api", "targett"],
        message: 'unknown key "targett"',
        hint: "known keys here: args, target, tags, builder, builderLabels",
      },
    ]);
  });
  it("reports wrong types", () => {
    const issues = validateConfig({ concurrency: "four", groups: { a: "api" } });
    expect(issues.map((i) => i.path)).toEqual([["concurrency"], ["groups", "a"]]);
    expect(issues.every((i) => i.message.length > 0)).toBe(true);
  });
});

describe("validateConfig: builders and the registry", () => {
  const builders = [
    { name: "local", endpoint: "docker:unix:///var/run/docker.sock", slots: 4 },
    { name: "big", endpoint: "buildx:k8s-pool", slots: 8, platforms: ["linux/amd64"], labels: ["large"] },
  ];
  it("accepts builders of every endpoint form with a registry, and services asking for them", () => {
    expect(
      validateConfig({
        builders: [
          ...builders,
          { name: "ci", endpoint: "docker:tcp://10.0.0.5:2376" },
          { name: "far", endpoint: "docker:ssh://build@far.example.com" },
          { name: "ctx", endpoint: "docker-context:remote1" },
        ],
        registry: "127.0.0.1:5000/acme-build",
        services: { api: { builder: "big" }, web: { builderLabels: ["large"] } },
      }),
    ).toEqual([]);
  });
  it.each([
    [
      "an endpoint of no known form",
      { builders: [{ name: "a", endpoint: "kubernetes:pool" }] },
      [["builders", 0, "endpoint"], /"kubernetes:pool" is not an endpoint; use docker:unix/],
    ],
    [
      "docker: without a host address",
      { builders: [{ name: "a", endpoint: "docker:/var/run/docker.sock" }] },
      [["builders", 0, "endpoint"], /after docker: comes a host address/],
    ],
    [
      "a name used twice",
      { builders: [builders[0], { ...builders[1], name: "local" }], registry: "r.example.com/x" },
      [["builders", 1, "name"], /the builder name "local" is used twice/],
    ],
    ["several builders without a registry", { builders }, [["builders"], /several builders need a registry/]],
    [
      "a registry that is not a repository prefix",
      { builders: [builders[0]], registry: "HTTP://Registry/X" },
      [["registry"], /expected a repository prefix/],
    ],
    ["no slots", { builders: [{ ...builders[0], slots: 0 }] }, [["builders", 0, "slots"], /./]],
    ["an empty list", { builders: [] }, [["builders"], /list at least one builder/]],
  ])("reports %s at its key", (_name, config, [path, message]) => {
    const issues = validateConfig(config);
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0]?.message).toMatch(message as RegExp);
  });
  it("names the keys of a builder", () => {
    expect(validateConfig({ builders: [{ ...builders[0], slot: 2 }] })).toEqual([
      {
        path: ["builders", 0, "slot"],
        message: 'unknown key "slot"',
        hint: "known keys here: name, endpoint, slots, platforms, labels",
      },
    ]);
  });
});

describe("lineOfPath", () => {
  const text = "files:\n  - a.yml\nservices:\n  api:\n    target: prod\n";
  it("finds nested keys", () => {
    expect(lineOfPath(text, ["services", "api", "target"])).toBe(5);
    expect(lineOfPath(text, ["files", 0])).toBe(2);
  });
  it("stops at the deepest key found", () => {
    expect(lineOfPath(text, ["services", "nope"])).toBe(3);
  });
  it("works for JSON", () => {
    expect(lineOfPath('{\n  "groups": {\n    "a": 1\n  }\n}', ["groups", "a"])).toBe(3);
  });
});

describe("time limits in the config", () => {
  it("takes durations as text or as a number of seconds", () => {
    expect(validateConfig({ timeout: "10m", stallWarning: 30 })).toEqual([]);
    expect(validateConfig({ timeout: "1h30m", stallWarning: "0" })).toEqual([]);
  });
  it("names the key and the form expected", () => {
    expect(validateConfig({ timeout: "ten minutes", stallWarning: -1 })).toEqual([
      { path: ["stallWarning"], message: expect.stringMatching(/./) },
      { path: ["timeout"], message: expect.stringContaining('"10m"') },
    ]);
  });
});

describe("the hint for an unknown key names the keys allowed where it is", () => {
  it.each([
    [
      { check: { ignored: [] } },
      ["check", "ignored"],
      /^known keys here: ignore, severity, maxSize, maxBuilderShare$/,
    ],
    [
      { cache: { kind: "local" } },
      ["cache", "kind"],
      /^known keys here: type, dir, ref, scope, mode, mountHelperImage$/,
    ],
    [{ nope: 1 }, ["nope"], /^known keys here: files, projectName, groups, services, docker,/],
  ])("%j", (config, path, hint) => {
    const issue = validateConfig(config).find((i) => i.path.join(".") === path.join("."));
    expect(issue?.hint).toMatch(hint);
  });
});
