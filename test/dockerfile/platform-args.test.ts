import { describe, expect, test } from "vitest";
import { hostPlatform, platformArgs } from "../../src/dockerfile/platform-args.js";

describe("platformArgs", () => {
  test("the target defaults to the build platform", () => {
    expect(Object.fromEntries(platformArgs({ build: "linux/amd64" }))).toEqual({
      BUILDPLATFORM: "linux/amd64",
      BUILDOS: "linux",
      BUILDARCH: "amd64",
      BUILDVARIANT: "",
      TARGETPLATFORM: "linux/amd64",
      TARGETOS: "linux",
      TARGETARCH: "amd64",
      TARGETVARIANT: "",
    });
  });

  test.each([
    ["linux/arm64/v8", "linux/arm64", "arm64", ""],
    ["linux/aarch64", "linux/arm64", "arm64", ""],
    ["linux/arm", "linux/arm/v7", "arm", "v7"],
    ["linux/arm/v6", "linux/arm/v6", "arm", "v6"],
    ["linux/x86_64", "linux/amd64", "amd64", ""],
  ])("target %s is normalized to %s", (target, platform, arch, variant) => {
    const args = platformArgs({ build: "linux/amd64", target });
    expect([args.get("TARGETPLATFORM"), args.get("TARGETARCH"), args.get("TARGETVARIANT")]).toEqual([
      platform,
      arch,
      variant,
    ]);
    expect(args.get("BUILDPLATFORM")).toBe("linux/amd64");
  });

  test.each([
    ["x64", "linux/amd64"],
    ["arm64", "linux/arm64"],
    ["arm", "linux/arm"],
  ])("host arch %s is %s", (arch, platform) => {
    expect(hostPlatform(arch)).toBe(platform);
  });
});
