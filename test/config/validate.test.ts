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
        hint: "known keys here: args, target, tags",
      },
    ]);
  });
  it("reports wrong types", () => {
    const issues = validateConfig({ concurrency: "four", groups: { a: "api" } });
    expect(issues.map((i) => i.path)).toEqual([["concurrency"], ["groups", "a"]]);
    expect(issues.every((i) => i.message.length > 0)).toBe(true);
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
