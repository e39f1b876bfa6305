import { describe, expect, it } from "vitest";
import {
  affinityPlacement,
  leastBusy,
  nearestUpstreamBuilder,
  planPlacement,
  preferredBuilder,
  rendezvousBuilder,
  type BuilderSlots,
  type Placeable,
  type PlacementState,
} from "../../src/place/index.js";

const builder = (name: string, slots = 2, labels: string[] = []): BuilderSlots => ({
  name,
  slots,
  platforms: [],
  labels,
});
const b1 = builder("b1");
const b2 = builder("b2");
const b3 = builder("b3", 4, ["large"]);
const all = [b1, b2, b3];

const job = (key: string, dependsOn: string[] = [], extra: Partial<Placeable> = {}): Placeable => ({
  key,
  dependsOn,
  platforms: [],
  placementKey: `apps/${key}`,
  ...extra,
});

/** Finished builds and where they ran, and what each uses. */
function state(placed: Record<string, string>, deps: Record<string, string[]> = {}): PlacementState {
  // "@context" entries say where a build of that context runs
  return {
    placedOn: (key) => placed[key],
    dependsOn: (key) => deps[key] ?? [],
    contextOn: (context) => placed[`@${context}`],
  };
}

describe("preferredBuilder", () => {
  it.each([
    [
      "pinned",
      job("api", ["base"], { builderRequest: { builder: "b2", labels: [] } }),
      [b2],
      { base: "b1" },
      { builder: "b2", reason: "pinned" },
    ],
    [
      "the builder of its upstream image",
      job("api", ["base"]),
      all,
      { base: "b2" },
      { builder: "b2", reason: "upstream" },
    ],
    [
      "upstream that does not fit is passed over",
      job("api", ["base"]),
      [b1, b3],
      { base: "b2" },
      { builder: rendezvousBuilder("apps/api", [b1, b3])?.name, reason: "hash" },
    ],
    [
      "no upstream: the hash of its context",
      job("api"),
      all,
      {},
      { builder: rendezvousBuilder("apps/api", all)?.name, reason: "hash" },
    ],
    [
      "upstream found in the registry ran nowhere",
      job("api", ["base"]),
      all,
      {},
      { builder: rendezvousBuilder("apps/api", all)?.name, reason: "hash" },
    ],
  ])("%s", (_name, placeable, fitting, placed, expected) => {
    expect(preferredBuilder(placeable, fitting, state(placed))).toEqual(expected);
  });
  it("none when nothing fits", () => {
    expect(preferredBuilder(job("api"), [], state({}))).toBeUndefined();
  });
});

describe("nearestUpstreamBuilder", () => {
  it.each([
    ["direct dependencies first, most of them", ["a", "b", "c"], { a: "b1", b: "b2", c: "b2" }, {}, "b2"],
    ["one level further when the direct ones ran nowhere", ["lib"], { base: "b3" }, { lib: ["base"] }, "b3"],
    [
      "the nearer level wins over a deeper majority",
      ["lib", "x"],
      { x: "b1", base: "b2" },
      { lib: ["base"] },
      "b1",
    ],
    ["nothing placed upstream", ["lib"], {}, { lib: ["base"] }, undefined],
  ])("%s", (_name, dependsOn, placed, deps, expected) => {
    expect(nearestUpstreamBuilder(job("api", dependsOn), all, state(placed, deps))).toBe(expected);
  });
  it("breaks a tie by the rendezvous hash among the tied", () => {
    const tied = nearestUpstreamBuilder(job("api", ["a", "b"]), all, state({ a: "b1", b: "b2" }));
    expect(tied).toBe(rendezvousBuilder("apps/api", [b1, b2])?.name);
  });
  it("survives a cycle", () => {
    expect(nearestUpstreamBuilder(job("a", ["b"]), all, state({}, { b: ["a"] }))).toBeUndefined();
  });
});

describe("leastBusy", () => {
  it.each([
    ["the lowest share busy", { b1: 1, b2: 0, b3: 3 }, "b2"],
    ["equal share: the most free slots", { b1: 1, b2: 1, b3: 2 }, "b3"],
    ["nothing busy: the most free slots", { b1: 0, b2: 0, b3: 0 }, "b3"],
  ])("%s", (_name, busy, expected) => {
    expect(leastBusy(all, (b) => busy[b as keyof typeof busy])?.name).toBe(expected);
  });
  it("a full tie goes to the earlier builder", () => {
    expect(leastBusy([b2, b1], () => 1)?.name).toBe("b2");
  });
});

describe("affinityPlacement", () => {
  const view = (
    busy: Record<string, number>,
    placed: Record<string, string>,
    fitting = all,
    mayMove = true,
  ) => ({
    fitting,
    busy: (b: string) => busy[b] ?? 0,
    mayMove,
    ...state(placed),
  });
  it.each([
    ["the preferred builder while it has a free slot", { b1: 1 }, "b1"],
    ["the least busy fitting builder when the preferred is full", { b1: 2, b2: 1, b3: 1 }, "b3"],
    ["wait when every fitting builder is full", { b1: 2, b2: 2, b3: 4 }, undefined],
  ])("%s", (_name, busy, expected) => {
    expect(affinityPlacement(job("api", ["base"]), view(busy, { base: "b1" }))).toBe(expected);
  });
  it("does not move while free slots go to the builds that prefer them", () => {
    expect(
      affinityPlacement(job("api", ["base"]), view({ b1: 2 }, { base: "b1" }, all, false)),
    ).toBeUndefined();
    expect(affinityPlacement(job("api", ["base"]), view({ b1: 1 }, { base: "b1" }, all, false))).toBe("b1");
  });
  it("a pinned build waits for its builder rather than move", () => {
    const pinned = job("api", [], { builderRequest: { builder: "b1", labels: [] } });
    expect(affinityPlacement(pinned, view({ b1: 2 }, {}, [b1]))).toBeUndefined();
  });
});

describe("planPlacement", () => {
  it("places each build where it prefers, upstream first, whatever the order given", () => {
    const jobs = [
      job("web", ["api"]),
      job("api", ["base"]),
      job("base", [], { builderRequest: { builder: "b2", labels: [] } }),
      job("tool", [], { builderRequest: { labels: ["large"] } }),
      job("lonely", [], { builderRequest: { labels: ["gpu"] } }),
    ];
    expect(Object.fromEntries(planPlacement(jobs, all))).toEqual({
      web: { builder: "b2", reason: "upstream" },
      api: { builder: "b2", reason: "upstream" },
      base: { builder: "b2", reason: "pinned" },
      tool: { builder: "b3", reason: "hash" },
      lonely: undefined,
    });
  });
});

describe("leastBusy with a key", () => {
  it("among builders equally free, the one the key ranks highest by the rendezvous hash", () => {
    const idle = [builder("b1", 2), builder("b2", 2), builder("b3", 2)];
    for (const key of ["apps/api", "apps/web", "base"])
      expect(leastBusy(idle, () => 0, key)?.name).toBe(rendezvousBuilder(key, idle)?.name);
  });
  it("load still comes first", () => {
    const idle = [builder("b1", 2), builder("b2", 2)];
    const preferred = rendezvousBuilder("apps/api", idle)?.name as string;
    expect(leastBusy(idle, (b) => (b === preferred ? 1 : 0), "apps/api")?.name).not.toBe(preferred);
  });
});
