import { describe, expect, it } from "vitest";
import { planJobs } from "../../src/plan/plan.js";
import { planToDot, planToMermaid } from "../../src/report/plan-graph.js";
import { selectServices } from "../../src/select/select.js";
import { graphOf } from "../graph/helpers.js";

// web-app builds acme/base; web_app and web.app build FROM it: three services whose names read alike once
// made into graph ids, plus a service named like a keyword of each language.
const graph = graphOf(
  {
    "web-app": { image: "acme/base", build: { context: "/p", dockerfile: "/p/Dockerfile.base" } },
    web_app: { build: { context: "/p", dockerfile: "/p/Dockerfile.app" } },
    "web.app": { build: { context: "/p", dockerfile: "/p/Dockerfile.app", args: { X: "1" } } },
    node: { build: { context: "/p", dockerfile: "/p/Dockerfile.base" }, image: "acme/node" },
  },
  {
    "/p/Dockerfile.base": "FROM scratch\n",
    "/p/Dockerfile.app": "FROM acme/base AS build\nFROM scratch\nCOPY --from=build / /\n",
  },
);
const plan = planJobs(graph, selectServices(graph, {}, { names: [] }));

/** Every node id a Mermaid text declares, with its label. */
const mermaidNodes = (text: string) =>
  [...text.matchAll(/^\s*(?:subgraph )?(\w+)\["([^"]*)"\]/gm)].map(([, id, label]) => ({ id, label }));

describe("plan graphs: one node per service and stage, whatever the names", () => {
  it("mermaid: web-app, web_app and web.app are three nodes, each edge joins the right two", () => {
    const text = planToMermaid(plan, { stages: false });
    expect(mermaidNodes(text)).toEqual([
      { id: "web_app", label: "web-app" },
      { id: "web_app_2", label: "web_app" },
      { id: "web_app_3", label: "web.app" },
      { id: "node_2", label: "node" },
    ]);
    expect(text).toContain("  web_app -->|FROM| web_app_2");
    expect(text).toContain("  web_app -->|FROM| web_app_3");
    expect(text).not.toMatch(/web_app_2 -->\|FROM\| web_app_2|web_app -->\|FROM\| web_app$/m);
  });

  it("mermaid --stages: each service's stages have ids of their own", () => {
    const text = planToMermaid(plan, { stages: true });
    const ids = mermaidNodes(text).map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(text).toContain("    web_app_2__build --> web_app_2__1");
    expect(text).toContain("    web_app_3__build --> web_app_3__1");
  });

  it("dot: three distinct nodes and a keyword-safe id for a service named node", () => {
    const text = planToDot(plan, { stages: false });
    expect(text).toContain('  web_app [label="web-app"];');
    expect(text).toContain('  web_app_2 [label="web_app"];');
    expect(text).toContain('  web_app_3 [label="web.app"];');
    expect(text).toContain('  node_2 [label="node"];');
    expect(text).toContain('  web_app -> web_app_3 [label="FROM"];');
    const withStages = planToDot(plan, { stages: true });
    const declared = [...withStages.matchAll(/^\s*(\w+) \[label=/gm)].map((m) => m[1]);
    expect(new Set(declared).size).toBe(declared.length);
  });
});
