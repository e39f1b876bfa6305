import { describe, expect, test } from "vitest";
import { compareVersions, isAtLeast, parseVersionNumbers } from "../../src/backends/version.js";

describe("versions", () => {
  test.each([
    ["20.10.24+dfsg1", [20, 10, 24]],
    ["v0.12.1-desktop.4", [0, 12, 1]],
    ["28.2.2", [28, 2, 2]],
    ["N/A", undefined],
  ])("parseVersionNumbers(%j)", (version, expected) => {
    expect(parseVersionNumbers(version)).toEqual(expected);
  });

  test.each([
    ["20.10.24+dfsg1", "23.0", -1],
    ["23.0.0", "23.0", 0],
    ["28.2.2", "23.0", 1],
    ["0.10", "0.9.3", 1],
    ["0.8.0", "0.8", 0],
  ])("compareVersions(%j, %j)", (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  test.each([
    [undefined, "0.8", false],
    ["dev", "0.8", false],
    ["0.8.2", "0.8", true],
  ])("isAtLeast(%j, %j)", (version, minimum, expected) => {
    expect(isAtLeast(version, minimum)).toBe(expected);
  });
});
