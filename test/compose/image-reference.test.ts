import { describe, expect, test } from "vitest";
import { imageReferenceProblem } from "../../src/compose/image-reference.js";

describe("imageReferenceProblem: the Docker client's reference grammar (distribution/reference)", () => {
  test.each([
    "alpine",
    "alpine:3.20",
    "acme/api",
    "acme/api:dev",
    "acme/api_v2.x-y__z:1.0-rc.1",
    "docker.io/library/alpine:latest",
    "registry.example.com/acme/api:1.0",
    "localhost/api",
    "localhost:5000/api:dev",
    "127.0.0.1:5000/team/api",
    "[::1]:5000/api",
    "Registry.Example.com/acme/api",
    "acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "acme/api:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    `acme/${"a".repeat(240)}`,
  ])("%s is valid", (ref) => {
    expect(imageReferenceProblem(ref)).toBeUndefined();
  });

  test.each([
    ["", "repository name must have at least one component"],
    ["acme/API:dev", "repository name must be lowercase"],
    ["API", "repository name must be lowercase"],
    ["--format={{.Id}}", "invalid reference format"],
    ["-alpine", "invalid reference format"],
    ["acme/api:", "invalid tag format"],
    ["org/base:${TAG}", "invalid tag format"],
    ["acme/api:-dev", "invalid tag format"],
    [`acme/api:${"t".repeat(129)}`, "invalid tag format"],
    ["acme/api@sha256:short", "invalid digest format"],
    ["acme//api", "invalid reference format"],
    ["/api", "invalid reference format"],
    ["acme/api/", "invalid reference format"],
    ["acme/a..b", "invalid reference format"],
    ["acme/api with space", "invalid reference format"],
    ["bad_host.com:port/api", "invalid reference format"],
    [`acme/${"a".repeat(251)}`, "repository name must not be more than 255 characters"],
    ["x".repeat(5 * 1024 * 1024), "repository name must not be more than 255 characters"],
    [
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "cannot specify 64-byte hexadecimal strings",
    ],
  ])("%j is refused: %s", (ref, problem) => {
    expect(imageReferenceProblem(ref)).toBe(problem);
  });
});
