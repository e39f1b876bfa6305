import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, makeProject, runCli } from "../helpers/run-cli.js";

const fixture = (name: string) => path.join(FIXTURES, name);

async function planJson(dir: string, ...extra: string[]) {
  const result = await runCli(["plan", "--json", "--project-directory", dir, ...extra]);
  expect(result.stderr).not.toContain("internal error");
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout) as {
    version: number;
    services: {
      name: string;
      context: string;
      dockerfile: string | null;
      target: string | null;
      tags: string[];
      stages: string[];
      dependsOn: string[];
      sameBuildAs: string | null;
    }[];
    waves: string[][];
    sharedCacheMounts: { id: string; services: string[] }[];
    warnings: string[];
  };
}

describe("plan on real monorepo shapes", () => {
  it("twenty services sharing one build through a YAML anchor are one build; cleanup builds FROM ${BASE_IMAGE} of it", async () => {
    const plan = await planJson(fixture("anchors"));
    expect(plan.version).toBe(1);
    expect(plan.services).toHaveLength(21);
    const svc01 = plan.services.find((s) => s.name === "svc01");
    expect(svc01).toMatchObject({
      context: fixture("anchors/app"),
      dockerfile: fixture("anchors/app/Dockerfile"),
      tags: ["acme/app:latest"],
      stages: ["builder", "1"],
      sameBuildAs: null,
    });
    for (const s of plan.services.filter((s) => /^svc(0[2-9]|1\d|20)$/.test(s.name)))
      expect(s.sameBuildAs).toBe("svc01");
    const cleanup = plan.services.find((s) => s.name === "cleanup");
    expect(cleanup?.dependsOn).toEqual(["svc01"]);
    expect(plan.waves[0]).toContain("svc01");
    expect(plan.waves[1]).toEqual(["cleanup"]);
  });

  it("a chain of base images over files joined by extends: file: orders jre → framework → common → apps", async () => {
    const plan = await planJson(fixture("chain"));
    const deps = Object.fromEntries(plan.services.map((s) => [s.name, s.dependsOn]));
    expect(deps).toEqual({
      jre: [],
      framework: ["jre"],
      common: ["framework"],
      billing: ["common"],
      orders: ["common"],
    });
    expect(plan.waves).toEqual([["jre"], ["framework"], ["common"], ["billing", "orders"]]);
    expect(plan.services.find((s) => s.name === "jre")?.context).toBe(fixture("chain/jre"));
  });

  it("depends_on is a run-time relation, not a build edge", async () => {
    const plan = await planJson(fixture("chain"));
    expect(plan.services.find((s) => s.name === "billing")?.dependsOn).not.toContain("orders");
  });

  it("one Dockerfile with six targets for seven services: identical targets merge, stages per target", async () => {
    const plan = await planJson(fixture("targets"));
    const byName = Object.fromEntries(plan.services.map((s) => [s.name, s]));
    expect(Object.keys(byName)).toEqual(["api", "api-canary", "worker", "cron", "admin", "tester"]);
    expect(byName["api-canary"]?.sameBuildAs).toBe("api");
    expect(byName.worker?.sameBuildAs).toBeNull();
    expect(byName.api?.stages).toEqual(["deps", "builder", "api"]);
    expect(byName.tester?.stages).toEqual(["deps", "builder", "test"]);
    expect(byName.api?.tags).toEqual(["targets-api"]);
    expect(plan.sharedCacheMounts).toEqual([
      { id: "/cache/pkgs", services: ["api", "worker", "cron", "admin", "tester"] },
    ]);
  });

  it("a profile service is planned only when its profile is active", async () => {
    const off = await planJson(fixture("targets"));
    expect(off.services.map((s) => s.name)).not.toContain("debug");
    const on = await planJson(fixture("targets"), "--profile", "tools");
    expect(on.services.map((s) => s.name)).toContain("debug");
    const named = await planJson(fixture("targets"), "debug");
    expect(named.services.map((s) => s.name)).toEqual(["debug"]);
  });

  it("a build section that exists only in the override file is used", async () => {
    const plan = await planJson(fixture("override"));
    expect(plan.services).toEqual([
      expect.objectContaining({ name: "api", target: "prod", tags: ["acme/api:dev"], stages: ["prod"] }),
    ]);
  });

  it("naming a service plans it and its build-time dependencies only", async () => {
    const plan = await planJson(fixture("chain"), "billing");
    expect(plan.services.map((s) => s.name)).toEqual(["jre", "framework", "common", "billing"]);
    const alone = await planJson(fixture("chain"), "billing", "--no-deps");
    expect(alone.services.map((s) => s.name)).toEqual(["billing"]);
  });

  it("text, mermaid and dot formats show the graph", async () => {
    const text = await runCli(["plan", "--project-directory", fixture("chain")]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain("wave 4");
    expect(text.stdout).toMatch(/billing[\s\S]*needs:\s+common \(FROM acme\/common:1\)/);
    const mermaid = await runCli([
      "plan",
      "--format",
      "mermaid",
      "--stages",
      "--project-directory",
      fixture("chain"),
    ]);
    expect(mermaid.stdout).toContain("common -->|FROM| billing");
    expect(mermaid.stdout).toContain('subgraph orders["orders"]');
    const dot = await runCli(["plan", "--format", "dot", "--project-directory", fixture("chain")]);
    expect(dot.stdout).toContain('jre -> framework [label="FROM"];');
  });

  it("ls lists the stages each target needs, and the other stages apart", async () => {
    const result = await runCli(["ls", "--json", "--project-directory", fixture("targets")]);
    const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(rows.find((r) => r.name === "api")).toEqual({
      name: "api",
      target: "api",
      builds: "api",
      image: "targets-api",
      dockerfile: fixture("targets/Dockerfile"),
      profiles: [],
      stages: ["deps", "builder", "api"],
      otherStages: ["test", "worker", "cron", "admin", "debug"],
      remoteContext: null,
    });
    expect(rows.find((r) => r.name === "debug")).toMatchObject({ profiles: ["tools"], builds: "debug" });
  });

  it("ls --json names an unnamed stage by its index, as plan --json does; the text shows #1", async () => {
    const dir = makeProject({
      "compose.yaml": "services:\n  app:\n    build: .\n",
      Dockerfile: "FROM scratch AS builder\nFROM scratch\nCOPY --from=builder / /\n",
    });
    const ls = await runCli(["ls", "--json", "--project-directory", dir]);
    const plan = await runCli(["plan", "--json", "--project-directory", dir]);
    const [row] = JSON.parse(ls.stdout) as { builds: string; stages: string[] }[];
    const [planned] = (JSON.parse(plan.stdout) as { services: { stages: string[] }[] }).services;
    expect(row).toMatchObject({ builds: "1", stages: ["builder", "1"] });
    expect(row?.stages).toEqual(planned?.stages);
    const text = await runCli(["ls", "--project-directory", dir]);
    expect(text.stdout).toContain("app      #1 (last)  builder → [#1]");
  });

  it("ls text: the built stage in brackets, the last stage marked when no target is set, profiles shown", async () => {
    const result = await runCli(["ls", "--project-directory", fixture("chain")]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      [
        "SERVICE    TARGET         STAGES",
        "jre        #0 (last)      [#0]",
        "framework  #0 (last)      [#0]",
        "common     common (last)  [common]",
        "billing    #0 (last)      [#0]",
        "orders     #1 (last)      build → [#1]",
        "",
      ].join("\n"),
    );
  });
});

describe("bad input: exit 2, file:line, nothing built", () => {
  const cases: { name: string; files: Record<string, string>; args?: string[]; expect: RegExp[] }[] = [
    {
      name: "a build cycle",
      files: {
        "docker-compose.yml":
          "services:\n  a:\n    image: x/a\n    build: ./a\n  b:\n    image: x/b\n    build: ./b\n",
        "a/Dockerfile": "FROM x/b\n",
        "b/Dockerfile": "FROM busybox\nFROM x/a AS final\n",
      },
      expect: [/build dependency cycle: (a → b → a|b → a → b)/, /Dockerfile:\d+/],
    },
    {
      name: "an unknown target",
      files: {
        "docker-compose.yml": "services:\n  a:\n    build:\n      context: .\n      target: prod\n",
        Dockerfile: "FROM busybox AS dev\nFROM scratch AS production\n",
      },
      expect: [/target stage "prod" not found/, /dev, production/],
    },
    {
      name: "a missing Dockerfile",
      files: {
        "docker-compose.yml":
          "services:\n  a:\n    build:\n      context: .\n      dockerfile: nope.Dockerfile\n",
        "x.txt": "",
      },
      expect: [/docker-compose\.yml:3: service "a": Dockerfile .*nope\.Dockerfile cannot be read/],
    },
    {
      name: "a missing context",
      files: { "docker-compose.yml": "services:\n  a:\n    build: ./missing\n" },
      expect: [/docker-compose\.yml:3: service "a": build context .*missing does not exist/],
    },
    {
      name: "an unknown service",
      files: { "docker-compose.yml": "services:\n  worker:\n    build: .\n", Dockerfile: "FROM busybox\n" },
      args: ["wroker"],
      expect: [/unknown service or group "wroker"/, /did you mean "worker"/],
    },
    {
      name: "a service without build",
      files: { "docker-compose.yml": "services:\n  db:\n    image: postgres\n" },
      args: ["db"],
      expect: [/docker-compose\.yml:2: service "db" has no build section/],
    },
    {
      name: "a YAML syntax error",
      files: { "docker-compose.yml": "services:\n  a:\n    build: [\n" },
      expect: [/docker-compose\.yml:\d+/],
    },
    {
      name: "a required variable",
      files: {
        "docker-compose.yml": "services:\n  a:\n    image: ${TAG:?set TAG first}\n    build: .\n",
        Dockerfile: "FROM busybox\n",
      },
      expect: [/docker-compose\.yml:3:.*set TAG first/],
    },
    {
      name: "a bad config",
      files: {
        "docker-compose.yml": "services:\n  a:\n    build: .\n",
        Dockerfile: "FROM busybox\n",
        ".dockbuildrc.yml": "groups:\n  be: [a]\nconcurrency: lots\nbakend: docker\n",
      },
      expect: [/\.dockbuildrc\.yml:3: concurrency/, /\.dockbuildrc\.yml:4: bakend: unknown key "bakend"/],
    },
    {
      name: "an unknown service: context",
      files: {
        "docker-compose.yml":
          "services:\n  a:\n    build:\n      context: .\n      additional_contexts:\n        lib: service:nope\n",
        Dockerfile: "FROM busybox\n",
      },
      expect: [/docker-compose\.yml:3: service "a": additional context "lib" names service "nope"/],
    },
  ];
  it.each(cases)("$name", async ({ files, args, expect: patterns }) => {
    const dir = makeProject(files);
    const result = await runCli(["plan", "--project-directory", dir, ...(args ?? [])]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    for (const pattern of patterns) expect(result.stderr).toMatch(pattern);
  });

  it("a FROM whose ARG has no value is a warning naming the service and the variable, not a crash", async () => {
    const dir = makeProject({
      "docker-compose.yml": "services:\n  a:\n    build: .\n",
      Dockerfile: "ARG BASE\nFROM ${BASE}\n",
    });
    const result = await runCli(["plan", "--project-directory", dir]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/service "a".*BASE/);
  });

  it("plan warns where a cache mount is shared unsafely (a package manager's lock-protected folder)", async () => {
    const dir = makeProject({
      "docker-compose.yml": "services:\n  a:\n    build: .\n",
      Dockerfile: "FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n",
    });
    const result = await runCli(["plan", "--json", "--project-directory", dir]);
    expect(result.exitCode).toBe(0);
    const plan = JSON.parse(result.stdout) as { warnings: string[] };
    expect(plan.warnings).toEqual([
      expect.stringMatching(/Dockerfile:2: service "a": .*\/var\/cache\/apt.*sharing=locked/),
    ]);
  });

  it("groups from the config select their members", async () => {
    const dir = makeProject({
      "docker-compose.yml":
        "services:\n  a:\n    build: .\n  b:\n    build: ./b\n  c:\n    build: ./b\n    image: other\n",
      Dockerfile: "FROM busybox\n",
      "b/Dockerfile": "FROM busybox\nRUN true\n",
      "dockbuild.config.json": '{ "groups": { "backend": ["a", "c"] } }',
    });
    const result = await runCli(["plan", "--json", "--project-directory", dir, "backend"]);
    expect(result.exitCode).toBe(0);
    expect(
      (JSON.parse(result.stdout) as { services: { name: string }[] }).services.map((s) => s.name),
    ).toEqual(["a", "c"]);
  });
});

describe("hostile Dockerfiles and config: exit 2 with a clear message, never a crash or a hang", () => {
  const compose = "services:\n  a:\n    build: .\n";
  const expectBadInput = async (dir: string, pattern: RegExp, command = "plan") => {
    const result = await runCli([command, "--project-directory", dir]);
    expect(result.stderr).not.toContain("internal error");
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toContain("nothing was built");
    expect(result.stderr.trimEnd().split("\n").length).toBeLessThanOrEqual(15);
    return result;
  };

  it("an unknown instruction: Dockerfile:line, with a did-you-mean, as BuildKit's parser refuses it", async () => {
    const dir = makeProject({
      "docker-compose.yml": compose,
      Dockerfile: "FROM alpine\nWRONG x\nCOPPY . /\n",
    });
    const result = await expectBadInput(dir, /Dockerfile:2: unknown instruction "WRONG"/);
    expect(result.stderr).toMatch(/Dockerfile:3: unknown instruction "COPPY"\n\s+hint: did you mean COPY\?/);
  });

  it("one 10 MB RUN line, 10 MB of continuations and a 3.6 MB heredoc are refused by size, unparsed", async () => {
    const line = makeProject({
      "docker-compose.yml": compose,
      Dockerfile: `FROM alpine\nRUN echo ${"a".repeat(10_000_000)}\n`,
    });
    await expectBadInput(
      line,
      /Dockerfile: the Dockerfile is 9\.5 MiB, more than the 512 KiB dockbuild reads/,
    );
    const continued = makeProject({
      "docker-compose.yml": compose,
      Dockerfile: `FROM alpine\nRUN echo \\\n${"  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \\\n".repeat(250_000)}  end\n`,
    });
    await expectBadInput(continued, /more than the 512 KiB dockbuild reads/);
    const heredoc = makeProject({
      "docker-compose.yml": compose,
      Dockerfile: `FROM alpine\nRUN <<EOF\n${"echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n".repeat(92_500)}EOF\n`,
    });
    await expectBadInput(heredoc, /the Dockerfile is 3\.6 MiB, more than the 512 KiB dockbuild reads/);
  });

  it("a 100 KB line in a small Dockerfile: the line BuildKit refuses", async () => {
    const dir = makeProject({
      "docker-compose.yml": compose,
      Dockerfile: `FROM alpine\nRUN echo ${"a".repeat(100_000)}\n`,
    });
    await expectBadInput(
      dir,
      /Dockerfile:2: line is 97\.7 KiB long; BuildKit refuses lines over 65,535 bytes/,
    );
  });

  it("${X:- nested 5,000 deep in a FROM and doubling ARG chains: a limit, not a stack or string overflow", async () => {
    const deep = makeProject({
      "docker-compose.yml": compose,
      Dockerfile: `FROM ${"${X:-".repeat(5000)}alpine${"}".repeat(5000)}\n`,
    });
    await expectBadInput(deep, /Dockerfile:1: variables are nested more than 64 deep/);
    const lines = ["ARG A0=aaaaaaaaaaaaaaaa"];
    for (let i = 1; i <= 40; i++) lines.push(`ARG A${i}=\${A${i - 1}}\${A${i - 1}}`);
    const doubling = makeProject({
      "docker-compose.yml": compose,
      Dockerfile: `${lines.join("\n")}\nFROM alpine\n`,
    });
    await expectBadInput(
      doubling,
      /Dockerfile:\d+: expanding variables gives more than 4,194,304 characters/,
    );
  });

  it("200,000 stages reusing one name: one warning with the count, not 200,000", async () => {
    // 512 KiB hold 29,000 such lines; the warning is per name whatever the count
    const dir = makeProject({
      "docker-compose.yml": compose,
      Dockerfile: "FROM scratch AS a\n".repeat(29_000),
    });
    const result = await runCli(["plan", "--json", "--project-directory", dir]);
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(result.stdout) as { warnings: string[] }).warnings).toEqual([
      expect.stringMatching(
        /Dockerfile:2: service "a": stage name "a" is used 29,000 times; the last stage of that name wins$/,
      ),
    ]);
  });

  it.each(["/dev/zero", "a FIFO"])("dockerfile: naming %s is refused without reading it", async (kind) => {
    const dir = makeProject({ "docker-compose.yml": compose, Dockerfile: "FROM alpine\n" });
    let target = "/dev/zero";
    if (kind === "a FIFO") {
      const { execFileSync } = await import("node:child_process");
      target = path.join(dir, "pipe");
      execFileSync("mkfifo", [target]);
    }
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      path.join(dir, "docker-compose.yml"),
      `services:\n  a:\n    build:\n      context: .\n      dockerfile: ${target}\n`,
    );
    await expectBadInput(
      dir,
      /docker-compose\.yml:3: service "a": Dockerfile .* is not a regular file \((a character device|a named pipe)\)/,
    );
  });

  it("a broken package.json in the project folder is skipped with a warning", async () => {
    const dir = makeProject({
      "docker-compose.yml": compose,
      Dockerfile: "FROM alpine\n",
      "package.json": "{ nope",
    });
    const result = await runCli(["plan", "--project-directory", dir]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/! .*package\.json:1: cannot be parsed .*so dockbuild skips it/);
  });

  it("ls and plan errors do not say nothing was built; a build command does", async () => {
    const dir = makeProject({ "docker-compose.yml": compose, Dockerfile: "FROM alpine\nWRONG\nNOPE\n" });
    await expectBadInput(dir, /2 problems found:/, "ls");
    const build = await runCli(["build", "--project-directory", dir]);
    expect(build.exitCode).toBe(2);
    expect(build.stderr).toMatch(/2 problems found, nothing was built:/);
  });
});
