// The bench's pure parts: `node --test bench/` (no engine needed).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeMonorepo, leafService, planUnits, DEFAULT_WORK } from "./monorepo.mjs";
import { checkPlanJson } from "./checks.mjs";
import { chartBars, renderMarkdown, renderSvg } from "./report.mjs";
import { backendOfDryRun, commandOf, errorLine } from "./scenarios.mjs";
import { formatMs, median, readTimeline, summarize } from "./stats.mjs";
import { bakeTool, composeTool, dockbuildBackendTool, dockbuildTool, toolEnv } from "./tools.mjs";

const sample = (wallMs, ok = true, extra = {}) => ({
  wallMs,
  ok,
  exitCode: ok ? 0 : 1,
  log: "x.log",
  ...extra,
});

/** A report with nothing in it but what a test gives. */
const reportOf = (fields) => ({
  title: "t",
  command: "node bench/run.mjs",
  startedAt: "2026-01-01T00:00:00Z",
  durationMs: 1000,
  runs: 1,
  peers: [],
  rows: [],
  unaided: [],
  diagnostics: [],
  samples: [],
  machine: [],
  notes: [],
  work: DEFAULT_WORK,
  ...fields,
});

describe("median", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), undefined);
  });
});

describe("summarize", () => {
  it("compares dockbuild with the fastest peer and applies the cold target", () => {
    const row = summarize(
      {
        scenario: "cold",
        n: 12,
        samples: {
          dockbuild: [sample(50), sample(60), sample(55)],
          compose: [sample(40)],
          bake: [sample(45)],
        },
      },
      ["compose", "bake"],
    );
    assert.equal(row.tools.dockbuild.medianMs, 55);
    assert.equal(row.fastestPeer, "compose");
    assert.equal(row.ratio, 55 / 40);
    assert.equal(row.verdict, "miss");
  });

  it("passes noop under 0.08 of the fastest peer", () => {
    const row = summarize(
      {
        scenario: "noop",
        n: 40,
        samples: { dockbuild: [sample(79)], compose: [sample(2000)], bake: [sample(1000)] },
      },
      ["compose", "bake"],
    );
    assert.equal(row.fastestPeer, "bake");
    assert.equal(row.verdict, "pass");
    const edge = summarize(
      { scenario: "noop", n: 40, samples: { dockbuild: [sample(80)], compose: [sample(1000)] } },
      ["compose"],
    );
    assert.equal(edge.verdict, "miss", "under 0.08 is strict");
  });

  it("passes cold at 0.95 of the fastest peer, and no slower", () => {
    const at = (ms) =>
      summarize({ scenario: "cold", n: 12, samples: { dockbuild: [sample(ms)], bake: [sample(1000)] } }, [
        "bake",
      ]).verdict;
    assert.equal(at(950), "pass");
    assert.equal(at(951), "miss");
  });

  it("gives dockbuild no median when one of its runs failed, and calls the row failed", () => {
    const row = summarize(
      {
        scenario: "one-change",
        n: 12,
        samples: { dockbuild: [sample(10), sample(1, false)], compose: [sample(20)] },
      },
      ["compose"],
    );
    assert.equal(row.tools.dockbuild.medianMs, undefined);
    assert.equal(row.verdict, "failed");
  });

  it("compares with a peer over the runs it finished, and says how many", () => {
    const row = summarize(
      {
        scenario: "cold",
        n: 40,
        samples: {
          dockbuild: [sample(22_900), sample(21_000), sample(25_000)],
          bake: [sample(24_400), sample(12_200, false), sample(24_800)],
          compose: [sample(37_000), sample(38_000), sample(37_500)],
        },
      },
      ["compose", "bake"],
    );
    assert.equal(row.tools.bake.medianMs, 24_600);
    assert.equal(row.fastestPeer, "bake");
    assert.equal(row.verdict, "pass");
    assert.ok(Math.abs(row.ratio - 22_900 / 24_600) < 1e-9);
    const failedAll = summarize(
      { scenario: "cold", n: 40, samples: { dockbuild: [sample(9000)], bake: [sample(1, false)] } },
      ["bake"],
    );
    assert.equal(failedAll.tools.bake.medianMs, undefined);
    assert.equal(failedAll.verdict, "n/a");
    const md = renderMarkdown(
      reportOf({
        runs: 3,
        peers: [{ id: "bake", title: "buildx bake", howBuilt: "x" }],
        rows: [row],
      }),
    );
    assert.match(md, /\| 24\.6 s \(2\/3 ok\) \| 0\.93 \(vs bake\) \|/);
  });

  it("judges plan on its own time and memory budgets", () => {
    const fast = summarize(
      {
        scenario: "plan",
        n: 500,
        samples: { dockbuild: [sample(800, true, { maxRssKb: 100 * 1024 })], compose: [sample(900)] },
      },
      ["compose"],
    );
    assert.equal(fast.verdict, "pass");
    const heavy = summarize(
      {
        scenario: "plan",
        n: 500,
        samples: { dockbuild: [sample(800, true, { maxRssKb: 200 * 1024 })], compose: [] },
      },
      ["compose"],
    );
    assert.equal(heavy.verdict, "miss");
    assert.match(heavy.why, /200 MB/);
  });
});

describe("readTimeline", () => {
  it("finds when builds ran and how many at once from plain progress lines", () => {
    const lines = [
      { t: 300, line: "base  | started" },
      { t: 900, line: "base  | built in 0.6s, 0/3 cached" },
      { t: 950, line: "svc-1 | started, target api" },
      { t: 960, line: "svc-2 | started, target worker" },
      { t: 1000, line: "svc-1 | #4 DONE 0.0s" },
      { t: 3000, line: "svc-1 | built in 2.0s" },
      { t: 3100, line: "svc-2 | up to date" },
      { t: 3200, line: "4 built, 0 up to date" },
    ];
    assert.deepEqual(readTimeline(lines, 3300), {
      jobs: 3,
      built: 2,
      upToDate: 1,
      failed: 0,
      firstStartMs: 300,
      lastEndMs: 3100,
      tailMs: 200,
      peakConcurrency: 2,
      meanJobMs: (600 + 2050 + 2140) / 3,
      busyMs: 600 + 2050 + 2140,
      startLatencyMs: 50,
      maxStartLatencyMs: 50,
    });
  });

  it("measures each build's start latency up to its first engine line", () => {
    const lines = [
      { t: 100, line: "a | started" },
      { t: 110, line: "b | started" },
      { t: 400, line: "a | #5 [deps 1/3] FROM base" },
      { t: 500, line: "a | #6 [deps 2/3] COPY x" },
      { t: 910, line: "b | #5 [deps 1/3] FROM base" },
      { t: 1000, line: "a | built in 0.9s" },
      { t: 1100, line: "b | built in 1.0s" },
      { t: 1100, line: "c | started" },
      { t: 1101, line: "c | up to date" },
    ];
    const timeline = readTimeline(lines, 1200);
    assert.equal(timeline.startLatencyMs, 550, "the median of 300 and 800");
    assert.equal(timeline.maxStartLatencyMs, 800);
  });

  it("says nothing when there are no job lines", () => {
    assert.equal(readTimeline([{ t: 1, line: "Error: boom" }], 10), undefined);
  });
});

describe("the generated monorepo", () => {
  it("pairs every fifth slot into one Dockerfile with two targets", () => {
    const units = planUnits(12);
    assert.deepEqual(
      units.filter((u) => u.services.length === 2).map((u) => u.services.map((s) => `${s.name}:${s.target}`)),
      [
        ["svc-01:api", "svc-02:worker"],
        ["svc-06:api", "svc-07:worker"],
      ],
    );
    assert.equal(units.flatMap((u) => u.services).length, 11);
    assert.deepEqual(leafService(units), {
      service: "svc-11",
      target: "production",
      dir: "apps/svc-11",
      sourceFile: "apps/svc-11/src/main.txt",
    });
  });

  it("builds every app FROM the base through an ARG default, with a cache mount in deps", () => {
    const repo = describeMonorepo(4, DEFAULT_WORK);
    assert.deepEqual(repo.serviceNames, ["base", "svc-1", "svc-2", "svc-3"]);
    const compose = repo.files.get("docker-compose.yml");
    for (const name of repo.serviceNames)
      assert.match(compose, new RegExp(`image: 127\\.0\\.0\\.1:9/benchmono/${name}:latest`));
    const dockerfile = repo.files.get("apps/svc-3/Dockerfile");
    assert.match(dockerfile, /^ARG BASE=127\.0\.0\.1:9\/benchmono\/base:latest$/m);
    assert.match(dockerfile, /^FROM \$\{BASE\} AS deps$/m);
    assert.match(dockerfile, /--mount=type=cache,target=\/cache\/deps,id=deps-svc-3/);
    assert.match(dockerfile, /^FROM scratch AS production$/m);
    assert.match(dockerfile, new RegExp(`count=${DEFAULT_WORK.toolchainMb} `));
  });
});

describe("tools", () => {
  const context = { repoRoot: "/repo", node: "/node", docker: "/usr/bin/docker" };

  it("runs dockbuild as a user would, with the Docker client chosen by DOCKBUILD_DOCKER", () => {
    const [step] = dockbuildTool(context).build("/m");
    assert.deepEqual(step.argv, [
      "/node",
      "/repo/bin/dockbuild.js",
      "--project-directory",
      "/m",
      "all",
      "--progress",
      "plain",
    ]);
    assert.equal(step.env.DOCKBUILD_DOCKER, "/usr/bin/docker");
  });

  it("gives every tool the Docker config folder where the buildx plugin was found", () => {
    const withConfig = { ...context, dockerConfig: "/peer/cfg" };
    assert.equal(toolEnv(withConfig).DOCKER_CONFIG, "/peer/cfg");
    assert.equal(dockbuildTool(withConfig).build("/m")[0].env.DOCKER_CONFIG, "/peer/cfg");
    assert.equal(bakeTool(withConfig, "/usr/bin/docker").build("/m")[0].env.DOCKER_CONFIG, "/peer/cfg");
  });

  it("runs dockbuild on a forced backend as a breakdown variant, not a peer", () => {
    const tool = dockbuildBackendTool(context, "docker");
    assert.equal(tool.id, "dockbuild-docker");
    assert.equal(tool.subject, false);
    assert.deepEqual(tool.build("/m")[0].argv.slice(-2), ["--backend", "docker"]);
  });

  it("reads the backend and one service's command from dockbuild's dry run", () => {
    const buildx =
      "# base\n/cfg/cli-plugins/docker-buildx build --progress=plain -t b /m/base\n# svc-1 (after base)\n/cfg/cli-plugins/docker-buildx build -t s /m/apps/svc-1\n";
    assert.equal(backendOfDryRun(buildx), "buildx");
    assert.equal(backendOfDryRun("# base\n/usr/bin/docker buildx build --load /m/base\n"), "buildx");
    assert.equal(backendOfDryRun("# base\nDOCKER_BUILDKIT=1 /usr/bin/docker build /m/base\n"), "docker");
    assert.equal(commandOf(buildx, "svc-1"), "/cfg/cli-plugins/docker-buildx build -t s /m/apps/svc-1");
    assert.equal(commandOf(buildx, "svc-2"), undefined);
  });

  it("gives docker-compose the base first, BuildKit through the Docker CLI first on PATH", () => {
    const steps = composeTool(context, "/usr/bin/docker-compose").build("/m");
    assert.deepEqual(
      steps.map((s) => s.argv),
      [
        ["/usr/bin/docker-compose", "build", "base"],
        ["/usr/bin/docker-compose", "build", "--parallel"],
      ],
    );
    assert.equal(steps[0].env.COMPOSE_DOCKER_CLI_BUILD, "1");
    assert.ok(steps[0].env.PATH.startsWith("/usr/bin:"));
  });
});

describe("report", () => {
  const rows = [
    summarize(
      { scenario: "cold", n: 12, samples: { dockbuild: [sample(50_000)], compose: [sample(40_000)] } },
      ["compose"],
    ),
    summarize({ scenario: "noop", n: 40, samples: { dockbuild: [sample(500)], compose: [sample(10_000)] } }, [
      "compose",
    ]),
    summarize(
      {
        scenario: "plan",
        n: 500,
        samples: { dockbuild: [sample(700, true, { maxRssKb: 90 * 1024 })], compose: [sample(1500)] },
      },
      ["compose"],
    ),
  ];

  it("draws one bar per build row and two for plan, each against its target", () => {
    assert.deepEqual(
      chartBars(rows).map((b) => [b.target, b.pass]),
      [
        [0.95, false],
        [0.08, true],
        [1, true],
        [1, true],
      ],
    );
    const svg = renderSvg(rows, "t <&>");
    assert.match(svg, /^<svg /);
    assert.match(svg, /t &lt;&amp;&gt;/);
    assert.equal((svg.match(/<rect x=/g) ?? []).length, 4);
  });

  it("puts medians, ratio, target and verdict in the table", () => {
    const md = renderMarkdown(
      reportOf({
        peers: [{ id: "compose", title: "docker-compose 1.29", howBuilt: "x" }],
        rows,
        machine: [["cores", "2"]],
      }),
    );
    assert.match(
      md,
      /\| cold build \| 12 \| 50\.0 s \| 40\.0 s \| 1\.25 \(vs compose\) \| .* \| ❌ miss \(1\.25 > 0\.95\) \|/,
    );
    assert.match(md, /\| `plan --json` \(no build\) \| 500 \| 0\.70 s, 90 MB \|/);
  });

  it("shows each tool's and the engine's CPU per build row, and how busy they kept the cores", () => {
    const cpu = (tool, wallMs, toolCpuMs, engineCpuMs, run = 1) => ({
      scenario: "cold",
      n: 12,
      run,
      tool,
      exitCode: 0,
      ok: true,
      log: "x.log",
      wallMs,
      toolCpuMs,
      engineCpuMs,
    });
    const md = renderMarkdown(
      reportOf({
        runs: 3,
        cores: 2,
        peers: [{ id: "bake", title: "buildx bake", howBuilt: "x" }],
        samples: [
          cpu("dockbuild", 9000, 500, 13_000),
          cpu("dockbuild", 8000, 700, 12_000, 2),
          cpu("dockbuild", 10_000, 600, 14_000, 3),
          cpu("bake", 9000, 400, 13_400),
          { ...cpu("bake", 1, 1, 1, 2), ok: false },
        ],
      }),
    );
    assert.match(md, /## Where the CPU goes/);
    // medians of 3: wall 9 s, tool 0.6 s, engine 13 s; (0.6 + 13) / (9 × 2) = 76%
    assert.match(md, /\| cold build \| 12 \| dockbuild \| 9\.00 s \| 0\.60 s \| 13\.0 s \| 76% \|/);
    // a failed run is left out of the medians
    assert.match(md, /\| cold build \| 12 \| bake \| 9\.00 s \| 0\.40 s \| 13\.4 s \| 77% \|/);
    assert.match(md, /\| cold \| 12 \| 1 \| dockbuild \| 9\.00 s \| {2}\| 0\.50 s \| 13\.0 s \| 0 \|/);
  });

  it("leaves the CPU section out when no run was counted", () => {
    const md = renderMarkdown(
      reportOf({
        samples: [sample(1000)].map((s) => ({ ...s, scenario: "cold", n: 3, run: 1, tool: "dockbuild" })),
      }),
    );
    assert.doesNotMatch(md, /Where the CPU goes/);
    assert.match(md, /\| cold \| 3 \| 1 \| dockbuild \| 1\.00 s \| {2}\| – \| – \|/);
  });

  it("formats durations for the table", () => {
    assert.equal(formatMs(820), "0.82 s");
    assert.equal(formatMs(12_345), "12.3 s");
    assert.equal(formatMs(125_000), "2 m 05 s");
    assert.equal(formatMs(undefined), "–");
  });
});

describe("checks on what the tools printed", () => {
  it("accepts only a plan with every service and its waves", () => {
    const plan = (n) =>
      JSON.stringify({
        version: 1,
        services: Array.from({ length: n }, (_, i) => ({ name: `s${i}` })),
        waves: [],
      });
    assert.equal(checkPlanJson(plan(3), 3), undefined);
    assert.equal(checkPlanJson(plan(2), 3), "plan --json lists 2 services, not 3");
    assert.equal(checkPlanJson("Error: boom", 3), "plan --json did not print JSON");
    assert.equal(checkPlanJson("{}", 3), "plan --json has no services/waves arrays");
  });

  it("quotes the engine's error rather than the tool's closing line", () => {
    const lines = [
      "#3 [deps 1/4] FROM docker.io/benchmono/base:latest",
      '#3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/benchmono/base/manifests/latest"',
      "ERROR: for svc-1  (<Service: svc-1>, 'Build failed')",
    ].map((line, t) => ({ t, line }));
    assert.match(errorLine({ lines, exitCode: 1 }), /^#3 ERROR: failed to do request/);
    assert.equal(errorLine({ lines: [{ t: 0, line: "a | b" }], exitCode: 3 }), "a \\| b");
    assert.equal(errorLine(undefined), "did not start");
  });
});
