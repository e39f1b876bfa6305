import { describe, expect, it } from "vitest";
import {
  addUnsetUse,
  unsetWarning,
  unsetWarnings,
  type UnsetUses,
} from "../../src/compose/unset-variables.js";

const text = (name: string) => `The "${name}" variable is not set. Defaulting to a blank string.`;

describe("unset-variable warnings say where the variable is used", () => {
  it.each([
    { places: [], warning: text("TAG") },
    { places: [{ file: "/p/compose.yaml", line: 3 }], warning: `/p/compose.yaml:3: ${text("TAG")}` },
    {
      places: [
        { file: "/p/compose.yaml", line: 3 },
        { file: "/p/compose.yaml", line: 9 },
        { file: "/p/extra.yaml", line: 2 },
      ],
      warning: `/p/compose.yaml:3: ${text("TAG")} (also used at line 9, /p/extra.yaml:2)`,
    },
    {
      places: [{ file: "/p/.env" }, { file: "/p/.env" }],
      warning: `/p/.env: ${text("TAG")} (also used at /p/.env)`,
    },
    {
      places: [3, 4, 5, 6, 7].map((line) => ({ file: "/p/compose.yaml", line })),
      warning: `/p/compose.yaml:3: ${text("TAG")} (also used at lines 4, 5, 6, …)`,
    },
  ])("$warning", ({ places, warning }) => {
    expect(unsetWarning("TAG", places)).toBe(warning);
  });

  it("one warning per variable, first places in file and line order, each place once", () => {
    const uses: UnsetUses = new Map();
    addUnsetUse(uses, "B", { file: "/p/compose.yaml", line: 8 });
    addUnsetUse(uses, "A", { file: "/p/compose.yaml", line: 5 });
    addUnsetUse(uses, "B", { file: "/p/compose.yaml", line: 2 });
    addUnsetUse(uses, "B", { file: "/p/compose.yaml", line: 8 });
    addUnsetUse(uses, "C", { file: "/p/extra.yaml", line: 1 });
    expect(unsetWarnings(uses)).toEqual([
      `/p/compose.yaml:2: ${text("B")} (also used at line 8)`,
      `/p/compose.yaml:5: ${text("A")}`,
      `/p/extra.yaml:1: ${text("C")}`,
    ]);
  });
});
