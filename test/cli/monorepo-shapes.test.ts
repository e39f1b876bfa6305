import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, runCli } from "../helpers/run-cli.js";

// Fixtures written after the shapes of public Compose monorepos: each is planned through the CLI, and the
// graph (services, targets, stages, build-time needs, identical builds, waves) and the warnings are exact.

const fixture = (name: string) => path.join(FIXTURES, name);

interface PlannedShape {
  name: string;
  target: string | null;
  stages: string[];
  dependsOn: string[];
  sameBuildAs: string | null;
}

async function plan(name: string, ...extra: string[]) {
  const json = await runCli(["plan", "--json", "--project-directory", fixture(name), ...extra]);
  const text = await runCli(["plan", "--project-directory", fixture(name), ...extra]);
  expect(json.stderr).not.toContain("internal error");
  expect(json.exitCode).toBe(0);
  expect(text.exitCode).toBe(0);
  const parsed = JSON.parse(json.stdout) as {
    services: (PlannedShape & Record<string, unknown>)[];
    waves: string[][];
    warnings: string[];
    hiddenByProfiles: { profile: string; services: string[] }[];
  };
  const services = parsed.services.map(({ name, target, stages, dependsOn, sameBuildAs }) => ({
    name,
    target,
    stages,
    dependsOn,
    sameBuildAs,
  }));
  return {
    services,
    waves: parsed.waves,
    warnings: parsed.warnings,
    json: parsed,
    text: text.stdout,
    stderr: json.stderr,
  };
}

/** No line of the plan's text or warnings appears twice (the tree's own connector lines aside). */
function expectNoRepeatedWarning(result: Awaited<ReturnType<typeof plan>>) {
  const warningLines = result.text.split("\n").filter((l) => l.startsWith("  ! "));
  expect(new Set(warningLines).size).toBe(warningLines.length);
  const stderrLines = result.stderr.split("\n").filter((l) => l !== "");
  expect(new Set(stderrLines).size).toBe(stderrLines.length);
}

const svc = (
  name: string,
  stages: string[],
  dependsOn: string[] = [],
  sameBuildAs: string | null = null,
  target: string | null = null,
): PlannedShape => ({ name, target, stages, dependsOn, sameBuildAs });

describe("a YAML anchor shared by 20 services, one of them overriding its build (ARG-expanded FROM of the others' image)", () => {
  const shared = [
    "web",
    "worker",
    "scheduler",
    "events-consumer",
    "attachments-consumer",
    "errors-forwarder",
    "transactions-consumer",
    "metrics-consumer",
    "profiles-consumer",
    "replays-consumer",
    "monitors-consumer",
    "feedback-consumer",
    "spans-consumer",
    "segments-consumer",
    "uptime-consumer",
    "issues-forwarder",
    "billing-consumer",
    "alerts-consumer",
    "digest-sender",
  ];

  it("plans 19 identical builds as one, the override as another that needs it", async () => {
    const result = await plan("shared-anchor");
    expect(result.services).toEqual([
      ...shared.map((name, i) => svc(name, ["0"], [], i === 0 ? null : "web")),
      svc("cleanup", ["0"], ["web"]),
    ]);
    expect(result.waves).toEqual([shared, ["cleanup"]]);
    expect(result.json.services.find((s) => s.name === "web")?.tags).toEqual(["tracker-app-local"]);
    expect(result.text).toMatch(/^project tracker: 20 services, 2 builds, 2 waves$/m);
    expect(result.warnings).toEqual([]);
    expectNoRepeatedWarning(result);
  });

  it("the matrix has one job per distinct build", async () => {
    const result = await runCli([
      "matrix",
      "--format",
      "json",
      "--project-directory",
      fixture("shared-anchor"),
    ]);
    const jobs = (JSON.parse(result.stdout) as { jobs: { service: string; services: string[] }[] }).jobs;
    expect(jobs.map((j) => ({ service: j.service, count: j.services.length }))).toEqual([
      { service: "web", count: 19 },
      { service: "cleanup", count: 1 },
    ]);
  });
});

describe("env files that are git-ignored (absent on a fresh checkout)", () => {
  // Compose v2.24+ reads no env file to build: the build-side commands need no runtime-only file.
  it("plans the build services as if the env files were there", async () => {
    const result = await plan("env-files");
    expect(result.services).toEqual([
      svc("api", ["base", "api"], [], null, "api"),
      svc("worker", ["base", "worker"], [], null, "worker"),
    ]);
    expect(result.waves).toEqual([["api", "worker"]]);
    expect(result.warnings).toEqual([]);
  });
});

describe("variables used only at run time (environment:, command:, healthcheck:) are unset", () => {
  it("plans the build", async () => {
    const result = await plan("runtime-vars");
    expect(result.services).toEqual([svc("app", ["0"]), svc("jobs", ["0"], [], "app")]);
    expect(result.waves).toEqual([["app", "jobs"]]);
    expectNoRepeatedWarning(result);
  });

  // A build tool warns only about what a build reads.
  it("prints no warning: none of those variables is read by a build", async () => {
    expect((await plan("runtime-vars")).warnings).toEqual([]);
  });
});

describe("extends: file: chains over three files, each path relative to its own file", () => {
  it("plans the base image first, then the services built on it", async () => {
    const result = await plan("extends-files");
    expect(result.services).toEqual([
      svc("base", ["0"]),
      svc("api", ["deps", "api"], ["base"], null, "api"),
      svc("worker", ["deps", "worker"], ["base"], null, "worker"),
      svc("web", ["0"], ["base"]),
    ]);
    expect(result.waves).toEqual([["base"], ["api", "worker", "web"]]);
    expect(result.json.services.map((s) => s.context)).toEqual([
      fixture("extends-files/common/base-image"),
      fixture("extends-files/services/api"),
      fixture("extends-files/services/api"),
      fixture("extends-files/services/web"),
    ]);
    expect(result.warnings).toEqual([]);
  });
});

describe("include: of sub-projects, each with its own folder", () => {
  it("plans the included services on the including file's base image", async () => {
    const result = await plan("include");
    expect(result.services).toEqual([
      svc("auth", ["0"], ["platform"]),
      svc("billing", ["build", "1"], ["platform"]),
      svc("platform", ["0"]),
    ]);
    expect(result.waves).toEqual([["platform"], ["auth", "billing"]]);
    expect(result.json.services.find((s) => s.name === "billing")?.context).toBe(
      fixture("include/services/billing"),
    );
    expect(result.warnings).toEqual([]);
  });
});

describe("three compose files merged (COMPOSE_FILE in .env) with !override and !reset", () => {
  it("the last file replaces api's build and resets worker's args: neither needs tools any more", async () => {
    const result = await plan("merge-three");
    expect(result.services).toEqual([
      svc("tools", ["0"]),
      svc("api", ["tools", "base", "prod"], [], null, "prod"),
      svc("worker", ["tools", "base", "worker"], [], null, "worker"),
    ]);
    expect(result.waves).toEqual([["tools", "api", "worker"]]);
    expect(result.warnings).toEqual([]);
  });

  it("without the CI file, both build on the tools image", async () => {
    const result = await plan(
      "merge-three",
      "-f",
      fixture("merge-three/compose.yaml"),
      "-f",
      fixture("merge-three/compose.build.yaml"),
    );
    expect(result.services).toEqual([
      svc("tools", ["0"]),
      svc("api", ["tools", "base", "dev"], ["tools"], null, "dev"),
      svc("worker", ["tools", "base", "worker"], ["tools"], null, "worker"),
    ]);
    expect(result.waves).toEqual([["tools"], ["api", "worker"]]);
  });
});

describe("an image: whose variable is unset", () => {
  it("is flagged where it is written and makes no edge from a FROM that only looks like it", async () => {
    const result = await plan("unset-image");
    expect(result.services).toEqual([svc("base", ["0"]), svc("api", ["0"])]);
    expect(result.waves).toEqual([["base", "api"]]);
    expect(result.warnings).toEqual([
      `${fixture("unset-image/compose.yaml")}:3: The "BASE_TAG" variable is not set. Defaulting to a blank string.`,
      `${fixture("unset-image/compose.yaml")}:3: services.base.image: "registry.local/org/base:" is not a valid image reference: invalid tag format (BASE_TAG not set; ignored)`,
    ]);
    expectNoRepeatedWarning(result);
  });
});

describe("every build service behind a profile", () => {
  it("plans nothing, and says how many services are hidden and which --profile shows them", async () => {
    const result = await plan("profiles-only");
    expect(result.services).toEqual([]);
    expect(result.json.hiddenByProfiles).toEqual([
      { profile: "dev", services: ["app", "app-debug"] },
      { profile: "debug", services: ["app-debug"] },
      { profile: "ci", services: ["e2e"] },
    ]);
    expect(result.text.split("\n").slice(0, 2)).toEqual([
      "project profiles-only: 0 services, 0 builds, 0 waves",
      "not planned: 3 services with a build behind inactive profiles (--profile dev: app, app-debug; --profile debug: app-debug; --profile ci: e2e)",
    ]);
  });

  it("with --profile dev, its services", async () => {
    const result = await plan("profiles-only", "--profile", "dev");
    expect(result.services).toEqual([
      svc("app", ["base", "app"]),
      svc("app-debug", ["base", "debug"], [], null, "debug"),
    ]);
    expect(result.text).toContain("profiles: dev, debug");
    expect(result.text).toContain("(--profile ci: e2e)");
  });
});

describe("ssh://, git and URL contexts", () => {
  it("plans with exit 0, never looks for them on disk, and says why they are always built", async () => {
    const result = await plan("remote-contexts");
    expect(result.services).toEqual([
      svc("tools", []),
      svc("docs", []),
      svc("proxy", []),
      svc("legacy", []),
      svc("bundle", []),
      svc("checker", ["0"], ["tools"]),
      svc("app", ["tools", "1"], ["tools"]),
    ]);
    expect(result.waves).toEqual([
      ["tools", "docs", "proxy", "legacy", "bundle"],
      ["checker", "app"],
    ]);
    expect(result.json.services.map((s) => s.remoteContext)).toEqual([
      "git",
      "git",
      "git",
      "git",
      "url",
      "git",
      null,
    ]);
    expect(result.text).toContain(
      "context: ssh://git@git.example.com/acme/tools.git (remote git context: not read or hashed here, always built)",
    );
    expect(result.text).toContain(
      "context: https://downloads.example.com/bundle.tar.gz (remote URL context: not read or hashed here, always built)",
    );
    expect(result.warnings).toEqual([]);
  });
});

describe("two services that build the same image", () => {
  it("are one build with no order between them and no warning", async () => {
    const result = await plan("same-image");
    expect(result.services).toEqual([svc("foo", ["0"]), svc("bar", ["0"], [], "foo")]);
    expect(result.waves).toEqual([["foo", "bar"]]);
    expect(result.warnings).toEqual([]);
    const matrix = await runCli(["matrix", "--project-directory", fixture("same-image")]);
    expect(JSON.parse(matrix.stdout)).toEqual({
      include: [
        {
          service: "foo",
          services: "foo bar",
          tags: "alpine",
          target: "",
          wave: 1,
          args: `--project-directory ${fixture("same-image")} build foo bar`,
        },
      ],
    });
  });

  it("plan of a service without a build that runs an image another service builds names that service", async () => {
    const { makeProject } = await import("../helpers/run-cli.js");
    const dir = makeProject({
      "compose.yaml": "services:\n  foo:\n    image: acme/base\n    build: .\n  bar:\n    image: acme/base\n",
      Dockerfile: "FROM scratch\n",
    });
    const result = await runCli(["plan", "--project-directory", dir, "bar"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'it runs the image "acme/base", which service "foo" builds: name "foo" to build it',
    );
    expect(result.stderr).not.toContain("which no service");
    expect(result.stderr).not.toContain("nothing was built");
  });
});
