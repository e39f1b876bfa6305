import { describe, expect, test } from "vitest";
import { makeProject, runCli } from "../helpers/run-cli.js";
import { loadDir, problemsIn, service } from "./helpers.js";

function project(services: string): string {
  return makeProject({ "compose.yaml": `services:\n${services}`, Dockerfile: "FROM scratch\n" });
}

describe("platforms, as `docker compose build` decides them", () => {
  test("the service's platform: is the build platform when build.platforms is absent", async () => {
    const dir = project("  arm:\n    platform: linux/arm64\n    build: .\n");
    const arm = service(await loadDir(dir), "arm");
    expect(arm.platform).toBe("linux/arm64");
    expect(arm.build?.platforms).toEqual(["linux/arm64"]);
  });

  test("build.platforms is kept whole when it includes platform: (a multi-platform build)", async () => {
    const dir = project(
      "  multi:\n    platform: linux/amd64\n    build:\n      context: .\n      platforms: [linux/amd64, linux/arm64]\n",
    );
    expect(service(await loadDir(dir), "multi").build?.platforms).toEqual(["linux/amd64", "linux/arm64"]);
  });

  test('platform: missing from build.platforms is an error at load time: build.platforms MUST include service.platform "linux/riscv64"', async () => {
    const dir = project(
      "  app:\n    build:\n      context: .\n      platforms: [linux/amd64]\n    platform: linux/riscv64\n",
    );
    expect(await problemsIn(dir)).toEqual([
      {
        file: "compose.yaml",
        line: 6,
        message: 'services.app: service.build.platforms MUST include service.platform "linux/riscv64"',
        hint: "add linux/riscv64 to build.platforms, or change platform:",
      },
    ]);
  });

  test("DOCKER_DEFAULT_PLATFORM is the build platform of a service that names none", async () => {
    const dir = project(
      "  app:\n    build: .\n  own:\n    build: .\n    platform: linux/arm64\n  db:\n    image: postgres\n",
    );
    const loaded = await loadDir(dir, { env: { DOCKER_DEFAULT_PLATFORM: "linux/s390x" } });
    expect(service(loaded, "app").build?.platforms).toEqual(["linux/s390x"]);
    expect(service(loaded, "own").build?.platforms).toEqual(["linux/arm64"]);
    expect(service(loaded, "db").platform).toBeUndefined();
  });

  test("DOCKER_DEFAULT_PLATFORM may come from .env, like every variable Compose reads from the project environment", async () => {
    const dir = makeProject({
      "compose.yaml": "services:\n  app:\n    build: .\n",
      ".env": "DOCKER_DEFAULT_PLATFORM=linux/arm/v7\n",
    });
    expect(service(await loadDir(dir), "app").build?.platforms).toEqual(["linux/arm/v7"]);
  });

  test("DOCKER_DEFAULT_PLATFORM that build.platforms does not list is refused, as Compose refuses it", async () => {
    const dir = project(
      "  app:\n    build:\n      context: .\n      platforms: [linux/amd64, linux/arm64]\n",
    );
    expect(await problemsIn(dir, { env: { DOCKER_DEFAULT_PLATFORM: "commodore/64" } })).toEqual([
      {
        file: "compose.yaml",
        line: 5,
        message:
          "services.app.build.platforms: does not support value set by DOCKER_DEFAULT_PLATFORM: commodore/64",
        hint: "add commodore/64 to build.platforms, or unset DOCKER_DEFAULT_PLATFORM",
      },
    ]);
    const listed = await loadDir(dir, { env: { DOCKER_DEFAULT_PLATFORM: "linux/arm64" } });
    expect(service(listed, "app").build?.platforms).toEqual(["linux/amd64", "linux/arm64"]);
  });

  test("plan --json shows each service's platforms; two services that differ only by platform are two builds", async () => {
    const dir = project(
      "  amd:\n    image: acme/amd\n    platform: linux/amd64\n    build: .\n  arm:\n    image: acme/arm\n    platform: linux/arm64\n    build: .\n  any:\n    image: acme/any\n    build: .\n",
    );
    const result = await runCli(["plan", "--json", "--project-directory", dir]);
    expect(result.exitCode).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      services: { name: string; platforms: string[]; sameBuildAs: string | null }[];
    };
    expect(
      plan.services.map(({ name, platforms, sameBuildAs }) => ({ name, platforms, sameBuildAs })),
    ).toEqual([
      { name: "amd", platforms: ["linux/amd64"], sameBuildAs: null },
      { name: "arm", platforms: ["linux/arm64"], sameBuildAs: null },
      { name: "any", platforms: [], sameBuildAs: null },
    ]);
  });
});
