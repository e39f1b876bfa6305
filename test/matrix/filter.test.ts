import { describe, expect, it } from "vitest";
import { leaveOutExisting } from "../../src/matrix/filter.js";
import type { MatrixEntry } from "../../src/matrix/format.js";

const entry = (service: string, wave: number, dependsOn: string[] = []): MatrixEntry => ({
  service,
  services: [service],
  tags: [`acme/${service}`],
  target: null,
  wave,
  dependsOn,
  args: ["build", service],
});
const entries = [
  entry("base", 1),
  entry("lib", 2, ["base"]),
  entry("api", 3, ["lib", "base"]),
  entry("web", 3, ["lib"]),
];

describe("leaveOutExisting", () => {
  it.each([
    ["nothing in the registry", [], entries],
    [
      "the base in the registry: left out, read from there",
      ["base"],
      [
        { ...entry("lib", 1), upstreamFromRegistry: ["base"] },
        { ...entry("api", 2, ["lib"]), upstreamFromRegistry: ["base"] },
        entry("web", 2, ["lib"]),
      ],
    ],
    [
      "a middle image in the registry",
      ["lib"],
      [
        entry("base", 1),
        { ...entry("api", 2, ["base"]), upstreamFromRegistry: ["lib"] },
        { ...entry("web", 1), upstreamFromRegistry: ["lib"] },
      ],
    ],
    ["everything in the registry: no job", ["base", "lib", "api", "web"], []],
  ])("%s", (_name, existing, expected) => {
    expect(leaveOutExisting(entries, new Set(existing))).toEqual(expected);
  });
});
