import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import type { BuildGraph } from "../../src/graph/types.js";
import { analyzeFresh } from "../../src/graph/analyze.js";
import { graphOf, shapeOf, type ServiceShape } from "./helpers.js";

interface Case {
  name: string;
  services: Record<string, ServiceShape>;
  dockerfiles: Record<string, string>;
  shape: ReturnType<typeof shapeOf>;
  warnings?: string[];
}

const node = (stages: string[], dependsOn: string[] = [], sameBuildAs: string | null = null) => ({
  stages,
  dependsOn,
  sameBuildAs,
});

describe("buildGraph: literal services and Dockerfiles in, edges, stages and identical builds out", () => {
  it.each<Case>([
    {
      name: "FROM another service's image, by image: and by build.tags, in any spelling",
      services: {
        base: { image: "acme/base", build: { context: "/p/base", tags: ["registry.local/acme/base:1"] } },
        api: { build: "/p/api" },
        tool: { build: "/p/tool" },
      },
      dockerfiles: {
        "/p/base/Dockerfile": "FROM scratch\n",
        "/p/api/Dockerfile":
          "FROM docker.io/acme/base:latest AS build\nFROM scratch\nCOPY --from=build / /\n",
        "/p/tool/Dockerfile": "FROM scratch\nCOPY --from=registry.local/acme/base:1 /x /x\n",
      },
      shape: { base: node(["0"]), api: node(["build", "1"], ["base"]), tool: node(["0"], ["base"]) },
    },
    {
      name: "ARG-expanded FROM of another service's image, the ARG given by the compose file",
      services: {
        app: { image: "acme/app-local", build: "/p/app" },
        cleanup: { build: { context: "/p/cleanup", args: { BASE_IMAGE: "acme/app-local" } } },
      },
      dockerfiles: {
        "/p/app/Dockerfile": "FROM scratch\n",
        "/p/cleanup/Dockerfile": "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n",
      },
      shape: { app: node(["0"]), cleanup: node(["0"], ["app"]) },
    },
    {
      name: "two services building the same image: one build, no edge between them, no warning",
      services: {
        foo: { image: "alpine", build: "/p" },
        bar: { image: "alpine", build: "/p" },
      },
      dockerfiles: { "/p/Dockerfile": "FROM alpine\nRUN true\n" },
      shape: { foo: node(["0"]), bar: node(["0"], [], "foo") },
      warnings: [],
    },
    {
      name: "a service's own image in its FROM is the existing image, never an edge",
      services: { node: { image: "acme/node:20", build: "/p/node" } },
      dockerfiles: { "/p/node/Dockerfile": "FROM acme/node:20\nRUN true\n" },
      shape: { node: node(["0"]) },
      warnings: [],
    },
    {
      name: "named service: contexts and x-dockbuild.dependsOn are edges",
      services: {
        assets: { build: "/p/assets" },
        codegen: { build: "/p/codegen" },
        web: {
          build: { context: "/p/web", additionalContexts: { static: "service:assets" } },
          extension: { dependsOn: ["codegen"] },
        },
      },
      dockerfiles: {
        "/p/assets/Dockerfile": "FROM scratch\n",
        "/p/codegen/Dockerfile": "FROM scratch\n",
        "/p/web/Dockerfile": "FROM scratch\nCOPY --from=static / /\n",
      },
      shape: { assets: node(["0"]), codegen: node(["0"]), web: node(["0"], ["assets", "codegen"]) },
    },
    {
      name: "remote contexts are nodes without stages, never checked on disk",
      services: {
        tools: { build: "ssh://git@example.com/acme/tools.git" },
        lib: { image: "acme/lib", build: "git@github.com:acme/lib.git#main" },
        app: { build: "/p/app" },
      },
      dockerfiles: { "/p/app/Dockerfile": "FROM acme/lib\n" },
      shape: { tools: node([]), lib: node([]), app: node(["0"], ["lib"]) },
      warnings: [],
    },
    {
      name: "one target per service from one Dockerfile: only the stages each target needs",
      services: {
        api: { build: { context: "/p", target: "api" } },
        test: { build: { context: "/p", target: "test" } },
        last: { build: "/p" },
      },
      dockerfiles: {
        "/p/Dockerfile":
          "FROM scratch AS deps\nFROM deps AS builder\nFROM builder AS test\nFROM scratch AS api\nCOPY --from=builder / /\nFROM scratch AS other\n",
      },
      shape: {
        api: node(["deps", "builder", "api"]),
        test: node(["deps", "builder", "test"]),
        last: node(["other"]),
      },
    },
  ])("$name", ({ services, dockerfiles, shape, warnings }) => {
    const graph = graphOf(services, dockerfiles);
    expect(shapeOf(graph)).toEqual(shape);
    if (warnings) expect(graph.warnings).toEqual(warnings);
  });
});

describe("buildGraph: one warning per cause, naming the services it applies to", () => {
  const apt = "RUN --mount=type=cache,target=/var/cache/apt apt-get update\n";
  it("a cache-mount warning is printed once per Dockerfile line, not once per service", () => {
    const names = ["a", "b", "c", "d", "e", "f"];
    const graph = graphOf(
      Object.fromEntries(
        names.map((n) => [n, { build: { context: "/p", target: n === "f" ? "two" : "one" } }]),
      ),
      { "/p/Dockerfile": `FROM debian AS one\n${apt}FROM debian AS two\n${apt}` },
    );
    expect(graph.warnings).toEqual([
      expect.stringMatching(
        /^\/p\/Dockerfile:2: services "a", "b", "c", "d" and 1 more: cache mount \/var\/cache\/apt/,
      ),
      expect.stringMatching(/^\/p\/Dockerfile:4: service "f": cache mount \/var\/cache\/apt/),
    ]);
  });

  it("an unresolved ARG is one warning for every service that shares the Dockerfile", () => {
    const graph = graphOf(
      { a: { build: "/p" }, b: { build: "/p" }, c: { build: "/p" } },
      { "/p/Dockerfile": "ARG BASE\nFROM ${BASE}\n" },
    );
    expect(graph.warnings).toEqual([
      '/p/Dockerfile:2: services "a", "b" and "c": ARG BASE has no value in "FROM ${BASE}": give it a default (ARG BASE=…) or pass it as a build arg',
    ]);
  });

  it("an ARG the compose file passes from an environment that lacks it says so", () => {
    const graph = graphOf(
      { sentry: { build: { context: "/p", args: { SENTRY_IMAGE: undefined } } } },
      { "/p/Dockerfile": "ARG SENTRY_IMAGE\nFROM ${SENTRY_IMAGE}\n" },
    );
    expect(graph.warnings).toEqual([
      '/p/Dockerfile:2: service "sentry": ARG SENTRY_IMAGE has no value in "FROM ${SENTRY_IMAGE}": the compose file passes SENTRY_IMAGE from the environment (args: [SENTRY_IMAGE]), and the environment does not set it; set SENTRY_IMAGE in the environment or in .env',
    ]);
  });

  it("two different builds under one image name: one warning naming both", () => {
    const graph = graphOf(
      { one: { image: "acme/x", build: "/p/one" }, two: { image: "acme/x", build: "/p/two" } },
      { "/p/one/Dockerfile": "FROM scratch\n", "/p/two/Dockerfile": "FROM scratch\nCOPY . /\n" },
    );
    expect(graph.warnings).toEqual([
      expect.stringMatching(
        /^\/p\/compose.yaml:\d+: services "one", "two" build different images under one name, docker.io\/acme\/x:latest/,
      ),
    ]);
  });
});

describe("buildGraph: bad input is every problem at its line, once", () => {
  const problemsOf = (build: () => BuildGraph) => {
    try {
      build();
    } catch (error) {
      if (error instanceof InputError) return error.problems.map((p) => ({ ...p, hint: undefined }));
      throw error;
    }
    throw new Error("no InputError");
  };

  it("an unknown instruction in a Dockerfile two services share is one problem at its line", () => {
    expect(
      problemsOf(() =>
        graphOf(
          { a: { build: "/p" }, b: { build: { context: "/p", target: "x" } } },
          {
            "/p/Dockerfile": "FROM alpine AS x\nWRONG thing\n",
          },
        ),
      ),
    ).toEqual([
      {
        location: { file: "/p/Dockerfile", line: 2 },
        message: 'unknown instruction "WRONG"',
        hint: undefined,
      },
    ]);
  });

  it("one Dockerfile text in two folders is parsed once, yet each copy's problem is at its own file", () => {
    const text = "FROM alpine AS x\nWRONG thing\n";
    expect(
      problemsOf(() =>
        graphOf(
          { a: { build: "/p/a" }, b: { build: "/p/b" }, c: { build: "/p/a" } },
          { "/p/a/Dockerfile": text, "/p/b/Dockerfile": text },
        ),
      ),
    ).toEqual(
      ["/p/a/Dockerfile", "/p/b/Dockerfile"].map((file) => ({
        location: { file, line: 2 },
        message: 'unknown instruction "WRONG"',
        hint: undefined,
      })),
    );
  });

  it("one Dockerfile text in two folders: each service's stages and warnings name its own file", () => {
    const text = "FROM alpine AS base\nFROM base AS app\n";
    const graph = graphOf(
      { a: { build: "/p/a" }, b: { build: "/p/b" } },
      { "/p/a/Dockerfile": text, "/p/b/Dockerfile": text },
    );
    const files = (name: string) => {
      const node = graph.nodes.get(name);
      return [
        node?.dockerfileLabel,
        node?.analysis.file,
        ...(node?.stages ?? []).map((s) => s.location.file),
      ];
    };
    expect(files("a")).toEqual(Array(4).fill("/p/a/Dockerfile"));
    expect(files("b")).toEqual(Array(4).fill("/p/b/Dockerfile"));
  });

  it("one Dockerfile text in 1,000 folders is parsed once and analyzed once per set of build args", () => {
    const text =
      "ARG BASE=alpine\nFROM ${BASE} AS deps\nRUN --mount=type=cache,target=/c true\nFROM scratch\n";
    const services: Record<string, ServiceShape> = {};
    const dockerfiles: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) {
      const args = i % 2 === 0 ? {} : { BASE: "busybox" };
      services[`s${i}`] = { build: { context: `/p/s${i}`, args } };
      services[`t${i}`] = { build: { context: `/p/s${i}`, args } };
      dockerfiles[`/p/s${i}/Dockerfile`] = text;
    }
    const analyzed: string[] = [];
    const trees = new Set<unknown>();
    const graph = graphOf(services, dockerfiles, {
      analyze: (t, file, args, parse) => {
        analyzed.push(file);
        return analyzeFresh(t, file, args, () => {
          const parsed = parse();
          trees.add(parsed.ast);
          return parsed;
        });
      },
    });
    expect(analyzed).toEqual(["/p/s0/Dockerfile", "/p/s1/Dockerfile"]);
    expect(trees.size, "one syntax tree").toBe(1);
    const node = (name: string) => graph.nodes.get(name);
    expect(node("s998")?.analysis, "one file, one analysis").toBe(node("t998")?.analysis);
    const deps = (name: string) => node(name)?.analysis.stages[0];
    expect(deps("s998")?.base).toEqual({ kind: "image", ref: "alpine" });
    expect(deps("s999")?.base).toEqual({ kind: "image", ref: "busybox" });
    expect(deps("s999")?.cacheMounts[0]?.location).toEqual({ file: "/p/s999/Dockerfile", line: 3 });
  });

  it("a cycle and an unknown target are both reported", () => {
    const problems = problemsOf(() =>
      graphOf(
        {
          a: { image: "x/a", build: { context: "/p/a", target: "nope" } },
          b: { image: "x/b", build: "/p/b" },
          c: { image: "x/c", build: "/p/c" },
        },
        {
          "/p/a/Dockerfile": "FROM scratch AS dev\n",
          "/p/b/Dockerfile": "FROM x/c\n",
          "/p/c/Dockerfile": "FROM x/b\n",
        },
      ),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'service "a": target stage "nope" not found',
      "build dependency cycle: b → c → b",
    ]);
  });
});

describe("buildGraph: large shapes stay linear", () => {
  it("a chain of 5,000 images, each FROM the one before, orders without overflowing the stack", () => {
    const services: Record<string, ServiceShape> = {};
    const dockerfiles: Record<string, string> = {};
    for (let i = 0; i < 5000; i++) {
      services[`s${i}`] = { image: `acme/s${i}`, build: `/p/s${i}` };
      dockerfiles[`/p/s${i}/Dockerfile`] = i === 0 ? "FROM scratch\n" : `FROM acme/s${i - 1}\n`;
    }
    const graph = graphOf(services, dockerfiles);
    expect(graph.nodes.get("s4999")?.dependsOn).toEqual(["s4998"]);
  });
});
