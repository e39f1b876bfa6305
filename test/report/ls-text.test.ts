import { describe, expect, it } from "vitest";
import { formatLsTable, lsRows, type LsRow } from "../../src/report/ls-text.js";
import { graphOf } from "../graph/helpers.js";

const row = (overrides: Partial<LsRow>): LsRow => ({
  name: "api",
  target: null,
  builds: "0",
  image: "p-api",
  dockerfile: "/p/Dockerfile",
  profiles: [],
  stages: ["0"],
  otherStages: [],
  remoteContext: null,
  ...overrides,
});

describe("ls rows", () => {
  it('an unnamed stage is its index, as plan --json\'s stages name it ("1", not "#1")', () => {
    const graph = graphOf(
      { app: { build: "/p" } },
      { "/p/Dockerfile": "FROM scratch AS builder\nFROM scratch\nCOPY --from=builder /a /a\n" },
    );
    const [app] = lsRows(graph.nodes.values());
    expect(app).toMatchObject({ builds: "1", stages: ["builder", "1"], otherStages: [] });
    expect(app?.stages).toEqual(graph.nodes.get("app")?.stages.map((s) => s.name));
  });

  it("the stages a target needs, the others apart, the last stage when no target is set", () => {
    const graph = graphOf(
      {
        api: { build: { context: "/p", target: "api" }, profiles: ["dev"] },
        last: { build: "/p" },
        remote: { build: "https://github.com/acme/x.git" },
      },
      { "/p/Dockerfile": "FROM scratch AS deps\nFROM deps AS test\nFROM deps AS api\nFROM scratch\n" },
    );
    expect(lsRows(graph.nodes.values())).toEqual([
      row({
        target: "api",
        builds: "api",
        profiles: ["dev"],
        stages: ["deps", "api"],
        otherStages: ["test", "3"],
      }),
      row({
        name: "last",
        image: "p-last",
        builds: "3",
        stages: ["3"],
        otherStages: ["deps", "test", "api"],
      }),
      row({
        name: "remote",
        image: "p-remote",
        dockerfile: "https://github.com/acme/x.git",
        builds: null,
        stages: [],
        remoteContext: "git",
      }),
    ]);
  });
});

describe("formatLsTable", () => {
  it("marks the built stage, and the last stage as the target when none is set", () => {
    expect(
      formatLsTable([
        row({ target: "prod", builds: "prod", stages: ["deps", "prod"], otherStages: ["test"] }),
        row({ name: "worker", builds: "1", stages: ["0", "1"], profiles: ["jobs"] }),
      ]),
    ).toBe(
      [
        "SERVICE  TARGET     STAGES",
        "api      prod       deps → [prod] (also: test)",
        "worker   #1 (last)  #0 → [#1] (profiles: jobs)",
      ].join("\n"),
    );
  });

  it("keeps every line within the width on a real-sized project: long lists wrap under their column", () => {
    const stages = [
      "base",
      "system-deps",
      "python-deps",
      "node-deps",
      "assets",
      "builder",
      "runtime-base",
      "production",
    ];
    const table = formatLsTable(
      [
        row({
          name: "sentry-cleanup-self-hosted-with-a-very-long-name",
          target: "production",
          builds: "production",
          stages,
          otherStages: ["test", "lint", "docs", "dev"],
          profiles: ["feature-complete", "errors-only"],
        }),
        row({ name: "web", remoteContext: "git", stages: [], builds: null }),
      ],
      100,
    );
    const lines = table.split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines).toEqual([
      "SERVICE                                   TARGET      STAGES",
      "sentry-cleanup-self-hosted-with-a-very-long-name",
      "                                          production  base → system-deps → python-deps → node-deps",
      "                                                      → assets → builder → runtime-base",
      "                                                      → [production] (also: test, lint, docs, dev)",
      "                                                      (profiles: feature-complete, errors-only)",
      "web                                       -           (git context: stages not known here)",
    ]);
  });

  it("wraps a long (also: …) list between its items, every item shown and the parenthesis closed", () => {
    const others = ["webapp_server_builder", "fe_builder", "app", "sh_admin_builder", "sh_admin", "aio"];
    const table = formatLsTable(
      [
        row({
          name: "hoppscotch-backend",
          target: "backend",
          builds: "backend",
          stages: ["base", "backend"],
          otherStages: others,
          profiles: ["backend", "just-backend", "app", "admin"],
        }),
      ],
      100,
    );
    const lines = table.split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines).toEqual([
      "SERVICE             TARGET   STAGES",
      "hoppscotch-backend  backend  base → [backend] (also: webapp_server_builder, fe_builder, app,",
      "                             sh_admin_builder, sh_admin, aio) (profiles: backend, just-backend, app,",
      "                             admin)",
    ]);
    expect(table).not.toContain("…");
  });
});
