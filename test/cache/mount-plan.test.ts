import { describe, expect, test } from "vitest";
import {
  mountFolder,
  mountId,
  mountsOfJobs,
  mountsOfServices,
  planCacheMounts,
  type MountUse,
} from "../../src/cache/mount-plan.js";
import { analyzeDockerfile } from "../../src/dockerfile/index.js";
import type { CacheMount } from "../../src/dockerfile/types.js";

const at = { file: "Dockerfile", line: 1 };
const mount = (over: Partial<CacheMount>): CacheMount => ({
  id: "/root/.npm",
  target: "/root/.npm",
  sharing: "shared",
  stage: "deps",
  location: at,
  ...over,
});
const use = (service: string, over: Partial<CacheMount>): MountUse => ({ service, mount: mount(over) });

describe("mountId: the key BuildKit gives the mount", () => {
  test.each([
    [{ id: "/root/.npm", target: "/root/.npm" }, "/root/.npm"],
    [{ id: "/root/.cache/", target: "/root/.cache/" }, "/root/.cache"],
    [{ id: "/go//pkg/./mod", target: "/go//pkg/./mod" }, "/go/pkg/mod"],
    [{ id: "/", target: "/" }, "/"],
    // an id that is written is used as written, trailing slash and all
    [{ id: "npm/", target: "/root/.npm" }, "npm/"],
    [{ id: "go-build", target: "/root/.cache/go-build" }, "go-build"],
  ])("%j → %s", (input, expected) => {
    expect(mountId(input)).toBe(expected);
  });
});

describe("mountFolder: a safe, unique folder name per id", () => {
  test.each([
    ["/root/.npm", /^root-\.npm-[0-9a-f]{8}$/],
    ["go-build", /^go-build-[0-9a-f]{8}$/],
    ["..", /^mount-[0-9a-f]{8}$/],
    ["/", /^mount-[0-9a-f]{8}$/],
    ["a b/c:d", /^a-b-c-d-[0-9a-f]{8}$/],
  ])("%s", (id, pattern) => {
    expect(mountFolder(id)).toMatch(pattern);
  });

  test("ids that differ only in unsafe characters get different folders; the same id the same folder", () => {
    expect(mountFolder("/a b")).not.toBe(mountFolder("/a:b"));
    expect(mountFolder("/root/.npm")).toBe(mountFolder("/root/.npm"));
  });

  test("long ids are shortened", () => {
    expect(mountFolder(`/${"x".repeat(300)}`).length).toBeLessThanOrEqual(48 + 9);
  });
});

describe("planCacheMounts", () => {
  test("mounts with the same id are one mount, used by every service that has it", () => {
    expect(
      planCacheMounts([
        use("api", { id: "/root/.npm", target: "/root/.npm" }),
        use("worker", { id: "/root/.npm/", target: "/root/.npm/" }),
        use("web", { id: "npm", target: "/home/node/.npm", sharing: "locked" }),
        use("api", { id: "npm", target: "/root/.npm-other" }),
        use("api", { id: "/root/.npm", target: "/root/.npm", stage: "builder" }),
      ]),
    ).toEqual({
      mounts: [
        {
          id: "/root/.npm",
          target: "/root/.npm",
          sharing: "shared",
          folder: mountFolder("/root/.npm"),
          services: ["api", "worker"],
        },
        {
          id: "npm",
          target: "/home/node/.npm",
          sharing: "locked",
          folder: mountFolder("npm"),
          services: ["web", "api"],
        },
      ],
      skipped: [],
    });
  });

  test("an id a generated --mount cannot carry is skipped, with why", () => {
    const plan = planCacheMounts([
      use("api", { id: "a,b", target: "/x" }),
      use("api", { id: "$HOME", target: "/y" }),
    ]);
    expect(plan.mounts).toEqual([]);
    expect(plan.skipped.map((s) => [s.id, s.services])).toEqual([
      ["a,b", ["api"]],
      ["$HOME", ["api"]],
    ]);
    expect(plan.skipped[0]?.reason).toMatch(/comma/);
  });
});

describe("which mounts a selection uses", () => {
  const text = [
    "FROM base AS deps",
    "RUN --mount=type=cache,target=/root/.npm npm ci",
    "FROM deps AS test",
    "RUN --mount=type=cache,id=jest,target=/tmp/jest npm test",
    "FROM deps AS production",
    "RUN --mount=type=cache,target=/var/cache/apk,sharing=locked apk add curl",
    "",
  ].join("\n");
  const analysis = analyzeDockerfile(text, "Dockerfile");
  const stages = (names: string[]) => analysis.stages.filter((s) => names.includes(s.name));
  const api = {
    analysis,
    cacheMounts: stages(["deps", "production"]).flatMap((s) => s.cacheMounts),
  };
  const nodes = new Map([["api", api]]);

  test("a service: the mounts of its target's stages (ServiceNode.cacheMounts)", () => {
    expect(mountsOfServices(["api", "unknown"], nodes).map((u) => [u.service, u.mount.id])).toEqual([
      ["api", "/root/.npm"],
      ["api", "/var/cache/apk"],
    ]);
  });

  test("a job that builds several identical services: each of them uses the mounts", () => {
    const mounts = stages(["deps"]).flatMap((s) => s.cacheMounts);
    const uses = mountsOfJobs([{ services: ["api", "api-copy"], cacheMounts: mounts }]);
    expect(uses.map((u) => [u.service, u.mount.id])).toEqual([
      ["api", "/root/.npm"],
      ["api-copy", "/root/.npm"],
    ]);
  });

  test("a --stage job: the mounts of the stages it runs, not the target's", () => {
    expect(
      mountsOfJobs([
        { services: ["api:test"], cacheMounts: stages(["deps", "test"]).flatMap((s) => s.cacheMounts) },
      ]).map((u) => [u.service, u.mount.id]),
    ).toEqual([
      ["api:test", "/root/.npm"],
      ["api:test", "jest"],
    ]);
  });
});
