import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { FIXTURES, makeProject, runCli } from "../helpers/run-cli.js";
import {
  formatGithubMatrix,
  formatGitlabPipeline,
  formatJsonMatrix,
  matrixEntries,
  type MatrixEntry,
} from "../../src/matrix/format.js";
import { planJobs as planBuild } from "../../src/plan/plan.js";
import { graphOf, type ServiceShape } from "../graph/helpers.js";

const chain = path.join(FIXTURES, "chain");
/** What a job runs after `dockbuild`, for a matrix made with `--project-directory dir` (no character to quote). */
const argsFor = (dir: string, ...services: string[]) =>
  ["--project-directory", dir, "build", ...services].join(" ");

describe("dockbuild matrix", () => {
  it("github: one line of JSON for strategy.matrix, one entry per build with its services, tags and wave", async () => {
    const result = await runCli(["matrix", "--project-directory", chain]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    const entry = (service: string, tags: string, wave: number) => ({
      service,
      services: service,
      tags,
      target: "",
      wave,
      args: argsFor(chain, service),
    });
    expect(JSON.parse(result.stdout)).toEqual({
      include: [
        entry("jre", "acme/jre:17", 1),
        entry("framework", "acme/framework:1", 2),
        entry("common", "acme/common:1", 3),
        entry("billing", "chain-billing", 4),
        entry("orders", "chain-orders", 4),
      ],
    });
  });

  it("github: named services only, no dependencies as extra jobs", async () => {
    const result = await runCli(["matrix", "--project-directory", chain, "orders"]);
    expect(JSON.parse(result.stdout)).toEqual({
      include: [
        {
          service: "orders",
          services: "orders",
          tags: "chain-orders",
          target: "",
          wave: 1,
          args: argsFor(chain, "orders"),
        },
      ],
    });
  });

  it("twenty services sharing one build (a YAML anchor) are one job naming all of them", async () => {
    const anchors = path.join(FIXTURES, "anchors");
    const result = await runCli(["matrix", "--project-directory", anchors]);
    expect(result.exitCode).toBe(0);
    const { include } = JSON.parse(result.stdout) as { include: Record<string, unknown>[] };
    const all = Array.from({ length: 20 }, (_, i) => `svc${String(i + 1).padStart(2, "0")}`);
    expect(include).toEqual([
      {
        service: "svc01",
        services: all.join(" "),
        tags: "acme/app:latest",
        target: "",
        wave: 1,
        args: argsFor(anchors, ...all),
      },
      {
        service: "cleanup",
        services: "cleanup",
        tags: "anchors-cleanup",
        target: "",
        wave: 2,
        args: argsFor(anchors, "cleanup"),
      },
    ]);
  });

  it("identical builds with different image names: one job carrying every tag, its command naming every service", async () => {
    const result = await runCli([
      "matrix",
      "--format",
      "gitlab",
      "--project-directory",
      path.join(FIXTURES, "targets"),
    ]);
    const pipeline = parse(result.stdout) as Record<
      string,
      { script?: string[]; variables?: Record<string, string> }
    >;
    expect(pipeline["build:api"]?.script).toEqual([
      `dockbuild ${argsFor(path.join(FIXTURES, "targets"), "api", "api-canary")}`,
    ]);
    expect(pipeline["build:api-canary"]).toBeUndefined();
    const json = await runCli([
      "matrix",
      "--format",
      "json",
      "--project-directory",
      path.join(FIXTURES, "targets"),
    ]);
    const jobs = (JSON.parse(json.stdout) as { jobs: { service: string; tags: string[] }[] }).jobs;
    expect(jobs.find((j) => j.service === "api")?.tags).toEqual(["targets-api", "targets-api-canary"]);
  });

  it("gitlab: a child pipeline whose needs follow the build graph", async () => {
    const result = await runCli(["matrix", "--format", "gitlab", "--project-directory", chain]);
    expect(result.exitCode).toBe(0);
    const pipeline = parse(result.stdout) as Record<string, { needs?: string[]; script?: string[] }>;
    expect(pipeline["build:billing"]?.needs).toEqual(["build:common"]);
    expect(pipeline["build:framework"]?.needs).toEqual(["build:jre"]);
    expect(pipeline["build:jre"]?.needs).toEqual([]);
    expect(pipeline["build:orders"]?.script).toEqual([`dockbuild ${argsFor(chain, "orders")}`]);
    expect(pipeline["build:orders"]).toMatchObject({
      variables: { DOCKBUILD_SERVICE: "orders", DOCKBUILD_SERVICES: "orders", DOCKBUILD_WAVE: "4" },
    });
  });

  it("json: the plain list with waves", async () => {
    const result = await runCli(["matrix", "--format", "json", "--project-directory", chain]);
    const json = JSON.parse(result.stdout) as {
      jobs: { service: string; dependsOn: string[] }[];
      waves: string[][];
    };
    expect(json.waves).toEqual([["jre"], ["framework"], ["common"], ["billing", "orders"]]);
    expect(json.jobs.find((s) => s.service === "common")?.dependsOn).toEqual(["framework"]);
  });

  it("--github-output writes the matrix to $GITHUB_OUTPUT", async () => {
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const os = await import("node:os");
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "gh-out-")), "output");
    const result = await runCli(
      ["matrix", "--github-output", "matrix", "--project-directory", chain, "jre"],
      {
        GITHUB_OUTPUT: file,
      },
    );
    expect(result.exitCode).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(
      `matrix={"include":[{"service":"jre","services":"jre","tags":"acme/jre:17","target":"","wave":1,"args":"${argsFor(chain, "jre")}"}]}\n`,
    );
  });

  const project = {
    "docker-compose.yml":
      "services:\n  base:\n    image: acme/base\n    build: ./base\n  api:\n    build: ./api\n  web:\n    build: ./web\n",
    "base/Dockerfile": "FROM scratch\nCOPY f /f\n",
    "base/f": "1",
    "api/Dockerfile": "FROM acme/base\nCOPY . /app\n",
    "api/main.txt": "api",
    "web/Dockerfile": "FROM scratch\nCOPY . /app\n",
    "web/index.txt": "web",
    "web/.dockerignore": "*.md\n",
  };

  it("--affected outside a git repository is bad input (exit 2) with the reason", async () => {
    const dir = makeProject(project);
    const result = await runCli(["matrix", "--affected", "--since", "main", "--project-directory", dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/git/i);
  });

  it("--affected --since REF: changed services and what builds on them; ignored files change nothing", async () => {
    const dir = makeProject(project);
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
    git("init", "-q", "-b", "main");
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "empty");
    git("add", ".");
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "init");
    const matrix = async () => {
      const result = await runCli(["matrix", "--affected", "--since", "HEAD", "--project-directory", dir]);
      expect(result.stderr).toBe("");
      return (JSON.parse(result.stdout) as { include: { service: string }[] }).include.map((e) => e.service);
    };
    expect(await matrix()).toEqual([]);
    writeFileSync(path.join(dir, "web/README.md"), "ignored by .dockerignore");
    expect(await matrix()).toEqual([]);
    writeFileSync(path.join(dir, "web/index.txt"), "changed, unstaged");
    expect(await matrix()).toEqual(["web"]);
    writeFileSync(path.join(dir, "base/new-file"), "untracked");
    // wave order: base and web first, then api, which builds FROM base's image
    expect(await matrix()).toEqual(["base", "web", "api"]);
    const unknown = await runCli([
      "matrix",
      "--affected",
      "--since",
      "no-such-ref",
      "--project-directory",
      dir,
    ]);
    expect(unknown.exitCode).toBe(2);
  });
});

describe("matrixEntries: one entry per distinct build", () => {
  it.each<{
    name: string;
    services: Record<string, ServiceShape>;
    dockerfiles: Record<string, string>;
    entries: MatrixEntry[];
  }>([
    {
      name: "two services building image: alpine FROM alpine are one job in wave 1",
      services: { foo: { image: "alpine", build: "/p" }, bar: { image: "alpine", build: "/p" } },
      dockerfiles: { "/p/Dockerfile": "FROM alpine\n" },
      entries: [
        {
          service: "foo",
          services: ["foo", "bar"],
          tags: ["alpine"],
          target: null,
          wave: 1,
          dependsOn: [],
          args: ["build", "foo", "bar"],
        },
      ],
    },
    {
      name: "a build that needs either of two identical services needs their one job",
      services: {
        a: { image: "acme/a", build: { context: "/p/a", target: "x" } },
        b: { image: "acme/b", build: { context: "/p/a", target: "x" } },
        c: { build: "/p/c" },
      },
      dockerfiles: { "/p/a/Dockerfile": "FROM scratch AS x\n", "/p/c/Dockerfile": "FROM acme/b\n" },
      entries: [
        {
          service: "a",
          services: ["a", "b"],
          tags: ["acme/a", "acme/b"],
          target: "x",
          wave: 1,
          dependsOn: [],
          args: ["build", "a", "b"],
        },
        {
          service: "c",
          services: ["c"],
          tags: ["p-c"],
          target: null,
          wave: 2,
          dependsOn: ["a"],
          args: ["build", "c"],
        },
      ],
    },
  ])("$name", ({ services, dockerfiles, entries }) => {
    const graph = graphOf(services, dockerfiles);
    const plan = planBuild(graph, { services: [...graph.nodes.keys()], requested: [...graph.nodes.keys()] });
    expect(matrixEntries(plan)).toEqual(entries);
  });
});

describe("every job runs the build it stands for: the matrix's global options go into its command", () => {
  const graph = graphOf(
    { app: { build: "/p" }, extra: { image: "acme/extra:ci", build: "/p" } },
    { "/p/Dockerfile": "FROM alpine\n" },
  );
  const plan = planBuild(graph, { services: ["app", "extra"], requested: ["app", "extra"] });
  const globalArgs = ["--file", "compose.yaml", "--file", "extra.yaml", "--env-file", "ci env/.env"];
  const entries = matrixEntries(plan, { globalArgs });

  it("args: the global options, `build`, every service of the build", () => {
    expect(entries.map((e) => e.args)).toEqual([[...globalArgs, "build", "app", "extra"]]);
  });

  it("github: args shell-quoted for `run: npx dockbuild ${{ matrix.args }}`", () => {
    const [entry] = (JSON.parse(formatGithubMatrix(entries)) as { include: { args: string }[] }).include;
    expect(entry?.args).toBe(
      "--file compose.yaml --file extra.yaml --env-file 'ci env/.env' build app extra",
    );
  });

  it("gitlab: the job's script carries them, shell-quoted", () => {
    const pipeline = parse(formatGitlabPipeline(entries)) as Record<string, { script: string[] }>;
    expect(pipeline["build:app"]?.script).toEqual([
      "dockbuild --file compose.yaml --file extra.yaml --env-file 'ci env/.env' build app extra",
    ]);
  });

  it("gitlab: a child pipeline inherits nothing, so each job gets its image, set-up and command", () => {
    const pipeline = parse(
      formatGitlabPipeline(entries, {
        image: "node:24",
        command: "npx -- dockbuild",
        beforeScript: ["npm ci"],
      }),
    ) as Record<string, Record<string, unknown>>;
    expect(pipeline["build:app"]).toMatchObject({
      image: "node:24",
      before_script: ["npm ci"],
      script: [
        "npx -- dockbuild --file compose.yaml --file extra.yaml --env-file 'ci env/.env' build app extra",
      ],
    });
  });

  it("json: args as a list, nothing to unquote", () => {
    const json = JSON.parse(formatJsonMatrix(entries)) as { jobs: { args: string[] }[] };
    expect(json.jobs[0]?.args).toEqual([...globalArgs, "build", "app", "extra"]);
  });
});
