import { describe, expect, test } from "vitest";
import { analyzeDockerfile, cacheMountSafety } from "../../src/dockerfile/index.js";
import type { CacheMount } from "../../src/dockerfile/types.js";
import { readFixture } from "./read-fixture.js";

function mount(target: string, sharing: CacheMount["sharing"] = "shared"): CacheMount {
  return { id: target, target, sharing, stage: "app", location: { file: "Dockerfile", line: 3 } };
}

describe("cacheMountSafety", () => {
  test.each([
    ["/var/cache/apt", "shared", "apt"],
    ["/var/lib/apt", "shared", "apt"],
    ["/var/lib/apt/lists", "shared", "apt"],
    ["/var/cache/apt/", "shared", "apt"],
    ["/var/cache/apk", "shared", "apk"],
    ["/etc/apk/cache", "shared", "apk"],
    ["/var/cache/dnf", "shared", "dnf"],
    ["/var/cache/yum", "shared", "yum"],
    ["/var/cache/apt", "locked", undefined],
    ["/var/cache/apt", "private", undefined],
    ["/var/cache/aptitude", "shared", undefined],
    ["/root/.npm", "shared", undefined],
  ] as const)("%s with sharing=%s → %s", (target, sharing, tool) => {
    const warning = cacheMountSafety(mount(target, sharing));
    if (tool === undefined) expect(warning).toBeUndefined();
    else expect(warning).toContain(`: ${tool} locks this folder`);
  });

  test("the warning names the mount and says how to fix it", () => {
    expect(cacheMountSafety({ ...mount("/var/cache/apt"), id: "apt-cache" })).toBe(
      "cache mount /var/cache/apt (id=apt-cache) is shared: apt locks this folder, so builds running at once " +
        "fail or corrupt it. Hint: add sharing=locked to the --mount so builds take turns",
    );
  });

  test("over a fixture: the default-shared apt mount is flagged, the locked one is not", () => {
    const analysis = analyzeDockerfile(readFixture("run-mounts.Dockerfile"), "run-mounts.Dockerfile", {});
    const flagged = analysis.stages
      .flatMap((s) => s.cacheMounts)
      .filter((m) => cacheMountSafety(m) !== undefined);
    expect(flagged.map((m) => [m.target, m.location.line])).toEqual([["/var/cache/apt", 5]]);
  });
});
