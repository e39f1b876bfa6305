import { describe, expect, it } from "vitest";
import {
  fittingBuilders,
  mergeBuilderRequest,
  normalizePlatform,
  requestProblems,
  whyNotFit,
  type BuilderSlots,
} from "../../src/place/index.js";

const local: BuilderSlots = { name: "local", slots: 4, platforms: ["linux/amd64"], labels: [] };
const big: BuilderSlots = {
  name: "big",
  slots: 8,
  platforms: ["linux/amd64", "linux/arm64"],
  labels: ["large"],
};
const any: BuilderSlots = { name: "any", slots: 2, platforms: [], labels: ["large", "gpu"] };

describe("whyNotFit", () => {
  it.each([
    ["nothing asked", {}, [], [undefined, undefined, undefined]],
    [
      "pinned to big",
      { builder: "big", labels: [] },
      [],
      ["is not big, the builder the build asks for", undefined, "is not big, the builder the build asks for"],
    ],
    ["label large", { labels: ["large"] }, [], ["lacks the label large", undefined, undefined]],
    [
      "labels large and gpu",
      { labels: ["large", "gpu"] },
      [],
      ["lacks the labels large, gpu", "lacks the label gpu", undefined],
    ],
    ["platform arm64/v8", {}, ["linux/arm64/v8"], ["does not build linux/arm64/v8", undefined, undefined]],
    [
      "two platforms",
      {},
      ["linux/amd64", "linux/s390x"],
      ["does not build linux/s390x", "does not build linux/s390x", undefined],
    ],
  ])("%s", (_name, request, platforms, expected) => {
    const job = { platforms, builderRequest: "labels" in request ? (request as never) : undefined };
    expect([local, big, any].map((b) => whyNotFit(job, b))).toEqual(expected);
  });

  it("keeps the given order of those that fit", () => {
    expect(
      fittingBuilders({ platforms: [], builderRequest: { labels: ["large"] } }, [any, local, big]).map(
        (b) => b.name,
      ),
    ).toEqual(["any", "big"]);
  });
});

describe("normalizePlatform", () => {
  it.each([
    ["linux/arm64/v8", "linux/arm64"],
    ["Linux/AMD64/v1", "linux/amd64"],
    ["linux/arm/v7", "linux/arm/v7"],
  ])("%s → %s", (platform, expected) => {
    expect(normalizePlatform(platform)).toBe(expected);
  });
});

type Source = { builder?: string; builderLabels?: string[] } | undefined;

describe("mergeBuilderRequest", () => {
  it.each<[string, Source[], unknown]>([
    ["nothing", [undefined, {}], undefined],
    ["the config's builder wins", [{ builder: "big" }, { builder: "local" }], { builder: "big", labels: [] }],
    ["x-dockbuild alone", [undefined, { builder: "local" }], { builder: "local", labels: [] }],
    [
      "labels add up",
      [{ builderLabels: ["large"] }, { builderLabels: ["gpu", "large"] }],
      { labels: ["large", "gpu"] },
    ],
  ])("%s", (_name, sources, expected) => {
    expect(mergeBuilderRequest(...sources)).toEqual(expected);
  });
});

describe("requestProblems", () => {
  it.each([
    ["a builder that exists", { builder: "big", labels: [] }, []],
    ["labels one builder carries", { labels: ["large", "gpu"] }, []],
    [
      "a builder not configured",
      { builder: "huge", labels: [] },
      [
        {
          key: "builder",
          message: 'asks for builder "huge", which the config does not list',
          hint: "the builders are local, big, any",
        },
      ],
    ],
    [
      "labels no builder carries together",
      { labels: ["gpu", "arm"] },
      [
        {
          key: "builderLabels",
          message: "asks for a builder with the labels gpu, arm, which no builder carries",
          hint: "labels by builder: local: none; big: large; any: large, gpu",
        },
      ],
    ],
    [
      "a label its pinned builder lacks",
      { builder: "local", labels: ["large"] },
      [
        {
          key: "builderLabels",
          message: "asks for builder local with the label large, which it does not carry",
          hint: "labels by builder: local: none; big: large; any: large, gpu",
        },
      ],
    ],
  ])("%s", (_name, request, expected) => {
    expect(requestProblems(request, [local, big, any])).toEqual(expected);
  });
});
