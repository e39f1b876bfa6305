import { describe, expect, it } from "vitest";
import { makeProject, runCli } from "../helpers/run-cli.js";

const compose = [
  "services:",
  "  base:",
  "    image: acme/base",
  "    build: ./base",
  "  api:",
  "    image: acme/api",
  "    build: ./api",
  "  gpu:",
  "    image: acme/gpu",
  "    build: ./gpu",
  "    x-dockbuild:",
  "      builderLabels: [gpu]",
  "",
].join("\n");
const files = {
  "docker-compose.yml": compose,
  "base/Dockerfile": "FROM scratch\nCOPY . /\n",
  "api/Dockerfile": "FROM acme/base\nCOPY . /app\n",
  "gpu/Dockerfile": "FROM scratch\nCOPY . /\n",
};
const config = [
  "builders:",
  "  - name: b1",
  "    endpoint: docker:unix:///nonexistent/b1.sock",
  "    slots: 2",
  "  - name: b2",
  "    endpoint: docker:unix:///nonexistent/b2.sock",
  "    labels: [gpu]",
  "registry: 127.0.0.1:5000/acme-build",
  "services:",
  "  base: { builder: b1 }",
  "",
].join("\n");
/** No engine answers: a dry run shows each builder's commands, anything else cannot start. */
const noEngine = { DOCKBUILD_DOCKER: "/nonexistent/docker" };

describe("builders in the config", () => {
  it("plan shows the builder each build prefers, in text and in JSON", async () => {
    const dir = makeProject({ ...files, ".dockbuildrc.yml": config });
    const json = await runCli(["plan", "--json", "--project-directory", dir]);
    expect(json.exitCode).toBe(0);
    const plan = JSON.parse(json.stdout) as { services: { name: string; builder: string | null }[] };
    expect(Object.fromEntries(plan.services.map((s) => [s.name, s.builder]))).toEqual({
      base: "b1",
      api: "b1",
      gpu: "b2",
    });
    const text = await runCli(["plan", "--project-directory", dir]);
    expect(text.stdout).toContain("builder: b1 (asked for)");
    expect(text.stdout).toContain("builder: b1 (where its upstream image is built)");
    expect(text.stdout).toContain("builder: b2 (by the hash of its context)");
  });

  it("plan --builder restricts the builders; a build none of them fits has none", async () => {
    const dir = makeProject({ ...files, ".dockbuildrc.yml": config });
    const json = await runCli(["plan", "--json", "--builder", "b1", "--project-directory", dir]);
    const plan = JSON.parse(json.stdout) as { services: { name: string; builder: string | null }[] };
    expect(plan.services.find((s) => s.name === "gpu")?.builder).toBeNull();
  });

  it("without builders, plan --json says null", async () => {
    const dir = makeProject(files);
    const plan = JSON.parse((await runCli(["plan", "--json", "--project-directory", dir])).stdout) as {
      services: { builder: string | null }[];
    };
    expect(plan.services.map((s) => s.builder)).toEqual([null, null, null]);
  });

  it("a dry run shows each build's builder and the client flags that reach it", async () => {
    const dir = makeProject({ ...files, ".dockbuildrc.yml": config });
    const run = await runCli(["--dry-run", "--project-directory", dir, "--backend", "docker"], noEngine);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      "# base on b1\nDOCKER_BUILDKIT=1 /nonexistent/docker -H unix:///nonexistent/b1.sock build",
    );
    expect(run.stdout).toContain(
      "# gpu on b2\nDOCKER_BUILDKIT=1 /nonexistent/docker -H unix:///nonexistent/b2.sock build",
    );
  });

  it("no builder answering: exit 3, naming each builder and why", async () => {
    const dir = makeProject({ ...files, ".dockbuildrc.yml": config });
    const run = await runCli(["--project-directory", dir], noEngine);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("no builder answered");
    expect(run.stderr).toMatch(/b1: The Docker client \/nonexistent\/docker could not be run: not found/);
    expect(run.stderr).toMatch(/b2: The Docker client/);
  });

  it.each([
    [
      "an endpoint of no known form",
      "builders:\n  - name: b1\n    endpoint: kube:pool\n",
      /\.dockbuildrc\.yml:3: builders\.0\.endpoint: "kube:pool" is not an endpoint/,
    ],
    [
      "several builders and no registry",
      "builders:\n  - name: b1\n    endpoint: docker:unix:///a.sock\n  - name: b2\n    endpoint: docker:unix:///b.sock\n",
      /\.dockbuildrc\.yml:1: builders: several builders need a registry/,
    ],
    [
      "a service pinned to a builder that is not configured",
      `${config}  api: { builder: huge }\n`,
      /\.dockbuildrc\.yml:11: service "api" asks for builder "huge", which the config does not list/,
    ],
  ])("bad config, %s: exit 2 at its line", async (_name, text, message) => {
    const dir = makeProject({ ...files, ".dockbuildrc.yml": text });
    const run = await runCli(["plan", "--project-directory", dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("x-dockbuild asking for labels no builder carries: exit 2 at the service in the compose file", async () => {
    const dir = makeProject({
      ...files,
      "docker-compose.yml": compose.replace("builderLabels: [gpu]", "builderLabels: [tpu]"),
      ".dockbuildrc.yml": config,
    });
    const run = await runCli(["plan", "--project-directory", dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /docker-compose\.yml:8: service "gpu" asks for a builder with the label tpu, which no builder carries/,
    );
  });

  it("a build no chosen builder fits: exit 3 before anything runs, naming every builder and why", async () => {
    const dir = makeProject({ ...files, ".dockbuildrc.yml": config });
    const run = await runCli(["--dry-run", "--builder", "b1", "--project-directory", dir], noEngine);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("no fitting builder for gpu");
    expect(run.stderr).toContain("gpu: b1: lacks the label gpu; b2: left out by --builder");
  });

  it("--builder that is not configured: exit 2", async () => {
    const dir = makeProject({ ...files, ".dockbuildrc.yml": config });
    const run = await runCli(["--builder", "b9", "--project-directory", dir], noEngine);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--builder b9: no builder of that name is configured");
  });
});
