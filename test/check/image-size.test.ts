import { describe, expect, it } from "vitest";
import { checkDockerfile } from "./check-helper.js";

const dockerfile =
  "FROM alpine:3.20 AS builder\nRUN echo build > /out\nFROM scratch AS production\nCOPY --from=builder /out /out\n";
const MB = 1_000_000;

describe("DB009 (check --sizes): the final image against its builder stage and the configured limit", () => {
  it.each([
    { name: "a tenth of the builder: fine", final: 10 * MB, builder: 100 * MB, config: "", expected: [] },
    {
      name: "60% of the builder: reported at the target's FROM",
      final: 60 * MB,
      builder: 100 * MB,
      config: "",
      expected: [["DB009", 3]],
    },
    {
      name: "a share the config allows",
      final: 60 * MB,
      builder: 100 * MB,
      config: "check:\n  maxBuilderShare: 0.75\n",
      expected: [],
    },
    {
      name: "small against the builder but above check.maxSize",
      final: 30 * MB,
      builder: 100 * MB,
      config: "check:\n  maxSize: { app: 25MB }\n",
      expected: [["DB009", 3]],
    },
  ])("$name", async ({ final, builder, config, expected }) => {
    const sizes = new Map([["app", { finalBytes: final, builder: { stage: "builder", bytes: builder } }]]);
    const files: Record<string, string> = config ? { ".dockbuildrc.yml": config } : {};
    const { rules, findings } = await checkDockerfile(dockerfile, files, "production", sizes);
    expect(rules).toEqual(expected);
    for (const f of findings) expect(f.message).toMatch(/^the final image is \d/);
  });
});
