import { describe, expect, test } from "vitest";
import { parseBuildxInspect, planEngine } from "../../src/backends/engine-plan.js";
import {
  isLoopbackRegistry,
  manifestInspectArgs,
  parseLookup,
  parseManifestDigest,
  parsePushDigest,
} from "../../src/backends/registry.js";
import { readEngineFixture } from "./engine-fixture.js";

// Captured from Docker 20.10 and distribution 2.8 on 127.0.0.1 (see test/fixtures/engine/capture.sh).
const DIGEST = "sha256:fc32ddafad70ae2f0f7ca0373d9a6ab68f417cbcdc0af300aadb715639a97730";

describe("reading the registry's answers", () => {
  test("the digest `docker push` ends with", () => {
    expect(parsePushDigest(readEngineFixture("push-registry.txt"))).toBe(DIGEST);
    expect(parsePushDigest("The push refers to repository [x]\nerror: denied")).toBeUndefined();
  });

  test("the digest of `docker manifest inspect -v`, none for an index", () => {
    expect(parseManifestDigest(readEngineFixture("manifest-inspect-verbose.json"))).toBe(DIGEST);
    expect(parseManifestDigest(`[{"Ref":"x","Descriptor":{"digest":"${DIGEST}"}}]`)).toBeUndefined();
    expect(parseManifestDigest("not json")).toBeUndefined();
  });

  test.each([
    [
      "found",
      { failed: false, stdout: readEngineFixture("manifest-inspect-verbose.json"), stderr: "" },
      { status: "found", digest: DIGEST },
    ],
    [
      "no such manifest",
      { failed: true, stdout: "", stderr: readEngineFixture("manifest-inspect-missing.stderr.txt") },
      { status: "missing" },
    ],
    [
      "no registry answers",
      { failed: true, stdout: "", stderr: readEngineFixture("manifest-inspect-no-registry.stderr.txt") },
      {
        status: "error",
        message:
          'failed to configure transport: error pinging v2 registry: Get "https://127.0.0.1:5003/v2/": dial tcp 127.0.0.1:5003: connect: connection refused',
      },
    ],
  ])("a lookup: %s", (_name, result, expected) => {
    expect(parseLookup(result)).toEqual(expected);
  });

  test("a registry on this machine is asked over plain HTTP (without --insecure it answers nothing)", () => {
    expect(readEngineFixture("manifest-inspect-secure-on-http.stderr.txt")).toMatch(/no such manifest/);
    expect(manifestInspectArgs("127.0.0.1:5000/acme/base:ih-1")).toEqual([
      "manifest",
      "inspect",
      "-v",
      "--insecure",
      "127.0.0.1:5000/acme/base:ih-1",
    ]);
    expect(manifestInspectArgs("registry.example.com/acme/base:ih-1")).toEqual([
      "manifest",
      "inspect",
      "-v",
      "registry.example.com/acme/base:ih-1",
    ]);
  });

  test.each([
    ["127.0.0.1:5000/x", true],
    ["localhost:5000/x", true],
    ["127.1.2.3/x", true],
    ["registry.example.com/x", false],
    ["acme/base", false],
  ])("%s is on this machine: %s", (ref, expected) => {
    expect(isLoopbackRegistry(ref)).toBe(expected);
  });

  test("a buildx builder of a Docker context names the context as its endpoint, the engine's version as BuildKit's", () => {
    const inspected = parseBuildxInspect(readEngineFixture("buildx-inspect-docker-context.txt"));
    expect(inspected).toEqual({ driver: "docker", buildkitVersion: "20.10.24+dfsg1", endpoint: "dbkctx" });
    const engine = planEngine(
      {
        dockerBinary: "docker",
        clientVersion: "20.10.24+dfsg1",
        serverVersion: "20.10.24+dfsg1",
        alternatives: [],
        buildx: { version: "0.10.5", ...inspected },
      },
      "buildx",
    );
    expect(engine).toMatchObject({ ok: true, engine: { backend: "buildx", namedContexts: false } });
  });
});
