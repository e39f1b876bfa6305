import { describe, expect, it } from "vitest";
import { handOffRecord, planHandOff } from "../../src/session/hand-off.js";

const uses = {
  upstreamUses: {
    base: { refs: ["acme/base:dev"], contexts: [] },
    assets: { refs: [], contexts: ["assets"] },
    codegen: { refs: [], contexts: [] },
  },
};
const inRegistry = (name: string) => `127.0.0.1:5000/x/${name}:ih-1@sha256:${"0".repeat(64)}`;

describe("planHandOff", () => {
  it.each([
    [
      "every upstream image in this builder's store: nothing is pushed or pulled",
      { base: { stores: ["E1"], registryImage: inRegistry("base") }, assets: { stores: ["E1", "E2"] } },
      { storeId: "E1", readsStore: true },
      { images: {}, contexts: {} },
      [],
    ],
    [
      "upstream images built elsewhere are read from the registry by digest",
      {
        base: { stores: ["E2"], registryImage: inRegistry("base") },
        assets: { registryImage: inRegistry("assets") },
      },
      { storeId: "E1", readsStore: true },
      { images: { "acme/base:dev": inRegistry("base") }, contexts: { assets: inRegistry("assets") } },
      [],
    ],
    [
      "a builder that cannot read its store gets everything from the registry",
      {
        base: { stores: ["E1"], registryImage: inRegistry("base") },
        assets: { stores: ["E1"], registryImage: inRegistry("assets") },
      },
      { storeId: "E1", readsStore: false },
      { images: { "acme/base:dev": inRegistry("base") }, contexts: { assets: inRegistry("assets") } },
      [],
    ],
    [
      "an image elsewhere and in no registry cannot reach it",
      { base: { stores: ["E2"] }, assets: { stores: ["E1"] }, codegen: { stores: ["E2"] } },
      { storeId: "E1", readsStore: true },
      { images: {}, contexts: {} },
      ["base"],
    ],
  ])("%s", (_name, upstream, builder, expected, unreachable) => {
    const planned = planHandOff(uses, new Map(Object.entries(upstream)), builder, ["reg/api:ih-2"]);
    expect(planned).toEqual({ handOff: { ...expected, tags: ["reg/api:ih-2"] }, unreachable });
  });

  it("records what an attempt read from the registry, nothing when it read nothing", () => {
    expect(
      handOffRecord({
        images: { "acme/base:dev": "r/base@sha256:1" },
        contexts: { assets: "r/a@sha256:2" },
        tags: [],
      }),
    ).toEqual({
      "acme/base:dev": "r/base@sha256:1",
      assets: "r/a@sha256:2",
    });
    expect(handOffRecord({ images: {}, contexts: {}, tags: ["x"] })).toBeUndefined();
  });
});
