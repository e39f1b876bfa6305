import { describe, expect, test } from "vitest";
import { isRemoteContext, resolveContext, resolveNamedContext } from "../../src/compose/paths.js";

describe("paths", () => {
  test.each([
    ["https://github.com/acme/repo.git#main", true],
    ["http://example.com/ctx.tar.gz", true],
    ["git://host/repo", true],
    ["ssh://git@host/repo", true],
    ["git@github.com:acme/repo.git", true],
    ["github.com/acme/repo", true],
    ["docker-image://alpine", true],
    ["./app", false],
    ["/abs/app", false],
    ["github", false],
  ])("isRemoteContext(%j) = %j", (value, expected) => {
    expect(isRemoteContext(value)).toBe(expected);
  });

  test.each([
    [".", "/p"],
    ["./app", "/p/app"],
    ["../shared", "/shared"],
    ["/abs", "/abs"],
    ["~/src/app", "/home/u/src/app"],
    ["~", "/home/u"],
    ["git@github.com:acme/repo.git", "git@github.com:acme/repo.git"],
  ])("resolveContext(/p, %j) = %j", (value, expected) => {
    expect(resolveContext("/p", value, "/home/u")).toBe(expected);
  });

  test("~ is kept relative when HOME is unknown", () => {
    expect(resolveContext("/p", "~/x", undefined)).toBe("/p/~/x");
  });

  test.each([
    ["service:base", "service:base"],
    ["docker-image://alpine:3.20", "docker-image://alpine:3.20"],
    ["oci-layout:///tmp/layout", "oci-layout:///tmp/layout"],
    ["./lib", "/p/lib"],
  ])("resolveNamedContext(/p, %j) = %j", (value, expected) => {
    expect(resolveNamedContext("/p", value, undefined)).toBe(expected);
  });
});
