import { describe, expect, it } from "vitest";
import { emptyImagePart } from "../../src/graph/image-name.js";
import { addWarning, formatWarning, type WarningList } from "../../src/graph/warnings.js";

describe("emptyImagePart: a name a variable left with an empty part", () => {
  it.each([
    ["org/base:", "has an empty tag"],
    ["registry.local/org/base:", "has an empty tag"],
    ["/api", "has an empty name part"],
    ["/api:dev", "has an empty name part"],
    ["registry.local//api", "has an empty name part"],
    ["org/", "has an empty name part"],
    ["org/api@", "has an empty digest"],
    ["", "is empty"],
    ["  ", "is empty"],
  ])("%j %s", (ref, what) => {
    expect(emptyImagePart(ref)).toBe(what);
  });

  it.each([
    "alpine",
    "org/base:1",
    "localhost:5000/org/base",
    "localhost:5000/org/base:1",
    "org/base@sha256:abc",
  ])("%j is whole", (ref) => {
    expect(emptyImagePart(ref)).toBeUndefined();
  });
});

describe("warnings by cause", () => {
  it("one line per location and message, naming the services it applies to", () => {
    const list: WarningList = new Map();
    const at = { file: "Dockerfile", line: 2 };
    for (const s of ["a", "b", "a", "c", "d", "e", "f"]) addWarning(list, { location: at, message: "m" }, s);
    addWarning(list, { location: { file: "Dockerfile", line: 3 }, message: "m" }, "a");
    addWarning(list, { message: "about no service" });
    expect([...list.values()].map(formatWarning)).toEqual([
      'Dockerfile:2: services "a", "b", "c", "d" and 2 more: m',
      'Dockerfile:3: service "a": m',
      "about no service",
    ]);
    const two: WarningList = new Map();
    addWarning(two, { location: at, message: "m" }, "x");
    addWarning(two, { location: at, message: "m" }, "y");
    expect([...two.values()].map(formatWarning)).toEqual(['Dockerfile:2: services "x" and "y": m']);
  });
});
