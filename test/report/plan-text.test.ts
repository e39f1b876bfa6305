import { describe, expect, it } from "vitest";
import { planJobs as planBuild } from "../../src/plan/plan.js";
import { planToJson } from "../../src/report/plan-json.js";
import { planToText, profileNote } from "../../src/report/plan-text.js";
import { capLines } from "../../src/report/warnings.js";
import { selectServices, servicesBehindProfiles } from "../../src/select/select.js";
import { graphOf } from "../graph/helpers.js";

describe("planToText", () => {
  const graph = graphOf(
    {
      tools: { image: "acme/tools", build: "ssh://git@example.com/acme/tools.git" },
      api: { build: { context: "/p/api", target: "prod" }, profiles: ["backend", "all-in"] },
      debug: { build: "/p/api", profiles: ["tools"] },
    },
    { "/p/api/Dockerfile": "FROM acme/tools AS prod\nFROM scratch\n" },
    { activeProfiles: ["backend"] },
  );
  const plan = planBuild(graph, selectServices(graph, {}, { names: [] }));
  const hidden = servicesBehindProfiles(graph);

  it("shows each service's profiles, why a remote context is always built, and what profiles hide", () => {
    expect(planToText(plan, { project: "p", warnings: [], hidden })).toBe(
      [
        "project p: 2 services, 2 builds, 2 waves",
        "not planned: 1 service with a build behind inactive profiles (--profile tools: debug)",
        "",
        "wave 1",
        "└─ tools",
        "     tags:   acme/tools",
        "     context: ssh://git@example.com/acme/tools.git (remote git context: not read or hashed here, always built)",
        "",
        "wave 2",
        "└─ api (target prod)",
        "     tags:   p-api",
        "     profiles: backend, all-in",
        "     stages: prod",
        "     needs:  tools (FROM acme/tools)",
      ].join("\n"),
    );
  });

  it("a service planned only because a planned build needs it says that its profile is not active", () => {
    const needed = graphOf(
      {
        base: { image: "acme/base", build: "/p/base", profiles: ["tools"] },
        app: { build: "/p/app" },
      },
      { "/p/base/Dockerfile": "FROM scratch\n", "/p/app/Dockerfile": "FROM acme/base\n" },
    );
    const all = planBuild(needed, selectServices(needed, {}, { names: [] }));
    const text = planToText(all, {
      project: "p",
      warnings: [],
      hidden: servicesBehindProfiles(needed),
      activeProfiles: [],
    });
    expect(text.split("\n").slice(0, 7)).toEqual([
      "project p: 2 services, 2 builds, 2 waves",
      "",
      "wave 1",
      "└─ base",
      "     tags:   acme/base",
      "     profiles: tools (not active; app needs it at build time)",
      "     stages: #0",
    ]);
  });

  it("the JSON plan carries profiles, the remote context kind and the hidden services", () => {
    const json = planToJson(plan, ["w", "w"], hidden);
    expect(
      json.services.map((s) => ({ name: s.name, profiles: s.profiles, remote: s.remoteContext })),
    ).toEqual([
      { name: "tools", profiles: [], remote: "git" },
      { name: "api", profiles: ["backend", "all-in"], remote: null },
    ]);
    expect(json.hiddenByProfiles).toEqual([{ profile: "tools", services: ["debug"] }]);
    expect(json.warnings).toEqual(["w"]);
  });

  it("0 services when every build is behind a profile: the note says how many and which --profile", () => {
    const hiddenAll = servicesBehindProfiles(
      graphOf(
        {
          a: { build: "/p", profiles: ["dev"] },
          b: { build: "/p", profiles: ["dev", "ci"] },
          c: { build: "/p", profiles: ["ci"] },
        },
        { "/p/Dockerfile": "FROM scratch\n" },
      ),
    );
    expect(profileNote(hiddenAll)).toBe(
      "not planned: 3 services with a build behind inactive profiles (--profile dev: a, b; --profile ci: b, c)",
    );
    expect(profileNote([])).toBe("");
  });

  it("prints each warning once, the first twenty, then how many more", () => {
    const warnings = Array.from({ length: 30 }, (_, i) => `warning ${i}`);
    const text = planToText(
      { services: [], jobs: [], waves: [], withoutStage: [], warnings: [] },
      { project: "p", warnings: [...warnings, "warning 0"] },
    );
    const lines = text.split("\n").filter((l) => l.startsWith("  ! "));
    expect(lines).toHaveLength(21);
    expect(lines.at(-1)).toBe("  ! … and 10 more warnings");
    expect(capLines(["a", "a", "b"], "warnings")).toEqual(["a", "b"]);
  });
});
