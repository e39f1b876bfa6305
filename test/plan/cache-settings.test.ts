import { describe, expect, test } from "vitest";
import { resolveCacheSettings, type ResolveCacheInput } from "../../src/plan/cache-settings.js";
import { CACHE_FLAG_NAMES } from "../../src/cli/build-options.js";
import { InputError } from "../../src/errors.js";

// Named by the command line's flags, as `dockbuild build` resolves them.
const base: ResolveCacheInput = { overrides: {}, names: CACHE_FLAG_NAMES, cwd: "/work/repo" };

describe("resolveCacheSettings", () => {
  test.each<[string, ResolveCacheInput, ReturnType<typeof resolveCacheSettings>]>([
    ["nothing asked", base, undefined],
    ["only the helper image configured", { ...base, config: { mountHelperImage: "busybox:1" } }, undefined],
    [
      "config: local, dir relative to the config file",
      {
        ...base,
        config: { type: "local", dir: ".cache/layers" },
        configFile: "/work/repo/ci/dockbuild.config.json",
      },
      { type: "local", dir: "/work/repo/ci/.cache/layers", scope: "", mode: "max" },
    ],
    [
      "--cache-dir alone: local, relative to the working directory",
      { ...base, overrides: { dir: "cache" } },
      { type: "local", dir: "/work/repo/cache", scope: "", mode: "max" },
    ],
    [
      "--cache-ref alone: registry",
      { ...base, overrides: { ref: "127.0.0.1:5000/acme/cache" } },
      { type: "registry", ref: "127.0.0.1:5000/acme/cache", scope: "", mode: "max" },
    ],
    [
      "inline defaults to mode=min and keeps a ref",
      { ...base, overrides: { type: "inline", ref: "registry.example.com/acme/images" } },
      { type: "inline", ref: "registry.example.com/acme/images", scope: "", mode: "min" },
    ],
    [
      "gha with a scope prefix; dir and ref of the config are ignored",
      {
        ...base,
        config: { type: "local", dir: "x", ref: "acme/cache" },
        overrides: { type: "gha", scope: "pr-12-" },
      },
      { type: "gha", scope: "pr-12-", mode: "max" },
    ],
    [
      "command line over config, key by key",
      {
        ...base,
        config: { type: "registry", ref: "acme/cache", scope: "main-", mode: "max" },
        overrides: { mode: "min" },
      },
      { type: "registry", ref: "acme/cache", scope: "main-", mode: "min" },
    ],
    [
      "--cache-type none turns the config's cache off",
      { ...base, config: { type: "gha" }, overrides: { type: "none" } },
      undefined,
    ],
  ])("%s", (_name, input, expected) => {
    expect(resolveCacheSettings(input)).toEqual(expected);
  });

  test.each<[string, ResolveCacheInput, RegExp]>([
    ["local without a folder", { ...base, overrides: { type: "local" } }, /local layer cache needs a folder/],
    ["registry without a repository", { ...base, config: { type: "registry" } }, /needs a repository/],
    [
      "a ref with a tag",
      { ...base, overrides: { ref: "127.0.0.1:5000/acme/cache:latest" } },
      /--cache-ref: "127.0.0.1:5000\/acme\/cache:latest" is not a repository name/,
    ],
    [
      "a ref with upper case, from the config",
      { ...base, config: { type: "registry", ref: "Acme/Cache" }, configFile: "/r/dockbuild.config.json" },
      /cache\.ref in \/r\/dockbuild\.config\.json: "Acme\/Cache" is not a repository name/,
    ],
    [
      "both a folder and a ref, no type",
      { ...base, overrides: { dir: "d", ref: "acme/c" } },
      /no cache type says which/,
    ],
    ["a scope alone", { ...base, overrides: { scope: "main-" } }, /--cache-scope needs a cache type/],
    [
      "a scope that cannot start a tag",
      { ...base, overrides: { type: "gha", scope: "-x" } },
      /cannot start a tag/,
    ],
  ])("bad input: %s", (_name, input, message) => {
    let error: unknown;
    try {
      resolveCacheSettings(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as InputError).problems.map((p) => p.message).join("\n")).toMatch(message);
  });

  test("every problem is reported at once", () => {
    expect(() => resolveCacheSettings({ ...base, overrides: { type: "registry", scope: ".bad" } })).toThrow(
      expect.objectContaining({ problems: [expect.anything(), expect.anything()] }),
    );
  });
});
