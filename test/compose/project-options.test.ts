import { describe, expect, test } from "vitest";
import {
  composeFilesFromEnv,
  findDefaultFiles,
  isValidProjectName,
  normalizeProjectName,
  parseProfiles,
} from "../../src/compose/project-options.js";
import { fixture, load } from "./helpers.js";

describe("project options", () => {
  test.each([
    ["my-app", "my-app"],
    ["My_App.v2", "my_appv2"],
    ["--_lead", "lead"],
    ["Space Dir", "spacedir"],
    ["ÜBER", "ber"],
  ])("normalizeProjectName(%j) = %j", (name, expected) => {
    expect(normalizeProjectName(name)).toBe(expected);
  });

  test.each([
    ["app", true],
    ["app_1-x", true],
    ["1app", true],
    ["App", false],
    ["_app", false],
    ["", false],
  ])("isValidProjectName(%j) = %j", (name, expected) => {
    expect(isValidProjectName(name)).toBe(expected);
  });

  test.each([
    [undefined, []],
    ["", []],
    ["a", ["a"]],
    [" a , b,,c ", ["a", "b", "c"]],
  ])("parseProfiles(%j)", (value, expected) => {
    expect(parseProfiles(value)).toEqual(expected);
  });

  test.each([
    [{}, []],
    [{ COMPOSE_FILE: "a.yaml:/abs/b.yaml" }, ["/cwd/a.yaml", "/abs/b.yaml"]],
    [{ COMPOSE_FILE: "a.yaml;sub/b.yaml", COMPOSE_PATH_SEPARATOR: ";" }, ["/cwd/a.yaml", "/cwd/sub/b.yaml"]],
    [{ COMPOSE_FILE: "a.yaml::" }, ["/cwd/a.yaml"]],
  ])("composeFilesFromEnv(%j)", (env, expected) => {
    expect(composeFilesFromEnv(env, "/cwd")).toEqual(expected);
  });

  describe("findDefaultFiles", () => {
    const look = (files: string[], cwd: string) => findDefaultFiles(cwd, (file) => files.includes(file));

    test("the first supported name in the nearest folder, with its override", () => {
      expect(look(["/r/compose.yml", "/r/compose.override.yaml", "/compose.yaml"], "/r/a/b")).toEqual({
        files: ["/r/compose.yml", "/r/compose.override.yaml"],
        warnings: [],
      });
    });

    test("docker-compose.yml and its override when that is all there is", () => {
      expect(look(["/r/docker-compose.yml", "/r/docker-compose.override.yml"], "/r").files).toEqual([
        "/r/docker-compose.yml",
        "/r/docker-compose.override.yml",
      ]);
    });

    test("compose.yaml wins over docker-compose.yml, with a warning", () => {
      const found = look(["/r/docker-compose.yml", "/r/compose.yaml"], "/r");
      expect(found.files).toEqual(["/r/compose.yaml"]);
      expect(found.warnings).toEqual([
        "Found multiple config files with supported names: /r/compose.yaml, /r/docker-compose.yml; using /r/compose.yaml",
      ]);
    });

    test("an override alone is not a compose file", () => {
      expect(look(["/r/compose.override.yaml"], "/r")).toEqual({ files: [], warnings: [] });
    });
  });

  test("COMPOSE_FILE may come from the .env file in the working folder", async () => {
    const project = await load("compose-file-env/from-dotenv");
    expect(project.composeFiles).toEqual([
      fixture("compose-file-env", "base.yaml"),
      fixture("compose-file-env", "extra.yaml"),
    ]);
    expect(project.workingDir).toBe(fixture("compose-file-env"));
  });
});
