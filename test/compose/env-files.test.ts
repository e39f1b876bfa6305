import path from "node:path";
import { describe, expect, test } from "vitest";
import { makeProject, runCli } from "../helpers/run-cli.js";
import { loadDir, problemsIn, service } from "./helpers.js";

const COMPOSE = "services:\n  app:\n    image: acme/app:${TAG:-none}\n    build: .\n";

function envProject(): string {
  return makeProject({
    "compose.yaml": COMPOSE,
    Dockerfile: "FROM scratch\n",
    ".env": "TAG=dotenv\n",
    "ci.env": "TAG=ci\nOTHER=1\n",
    "late.env": "TAG=late\n",
    "flag.env": "TAG=flag\n",
  });
}

describe("env files for interpolation: --env-file over COMPOSE_ENV_FILES over .env, as Compose", () => {
  test("COMPOSE_ENV_FILES names the env files used instead of .env", async () => {
    const dir = envProject();
    const loaded = await loadDir(dir, { env: { COMPOSE_ENV_FILES: path.join(dir, "ci.env") } });
    expect(service(loaded, "app").image).toBe("acme/app:ci");
    expect(loaded.environment).toMatchObject({ OTHER: "1" });
  });

  test("COMPOSE_ENV_FILES is comma-separated, later files win, empty items are ignored; relative paths resolve from where dockbuild runs", async () => {
    const dir = envProject();
    const loaded = await loadDir(dir, { env: { COMPOSE_ENV_FILES: "ci.env,,late.env," } });
    expect(service(loaded, "app").image).toBe("acme/app:late");
    expect(loaded.globalFiles).toEqual([
      path.join(dir, "compose.yaml"),
      path.join(dir, "ci.env"),
      path.join(dir, "late.env"),
    ]);
  });

  test("--env-file wins over COMPOSE_ENV_FILES", async () => {
    const dir = envProject();
    const loaded = await loadDir(dir, {
      envFiles: [path.join(dir, "flag.env")],
      env: { COMPOSE_ENV_FILES: path.join(dir, "ci.env") },
    });
    expect(service(loaded, "app").image).toBe("acme/app:flag");
  });

  test("the process environment wins over every env file", async () => {
    const dir = envProject();
    const loaded = await loadDir(dir, { env: { COMPOSE_ENV_FILES: "ci.env", TAG: "process" } });
    expect(service(loaded, "app").image).toBe("acme/app:process");
  });

  test("a file named by COMPOSE_ENV_FILES that does not exist is an error, as with --env-file", async () => {
    const dir = envProject();
    expect(await problemsIn(dir, { env: { COMPOSE_ENV_FILES: "nope.env" } })).toEqual([
      { file: "nope.env", line: undefined, message: "env file not found", hint: "check COMPOSE_ENV_FILES" },
    ]);
  });
});

describe("env_file: run-time only, never read by a build (Compose's build has not read it since v2.24)", () => {
  const files = {
    "compose.yaml": [
      "services:",
      "  web:",
      "    build: .",
      "    env_file: .env.local",
      "  worker:",
      "    build: .",
      "    env_file:",
      "      - path: ./docker/local.env",
      "        required: true",
      "  db:",
      "    image: postgres",
      "    env_file: ./secrets/db.env",
      "  tools:",
      "    build: .",
      "    profiles: [tools]",
      "    env_file: [./missing.env]",
      "",
    ].join("\n"),
    Dockerfile: "FROM scratch\n",
  };

  test("a missing env_file on a built service, an image-only service or one behind a profile does not fail loading", async () => {
    const loaded = await loadDir(makeProject(files));
    expect(loaded.services.map((s) => s.name)).toEqual(["web", "worker", "db", "tools"]);
  });

  test.each([["plan"], ["plan", "web"], ["ls"], ["matrix"]])(
    "`dockbuild %s` plans with a git-ignored env_file missing (exit 0)",
    async (...args) => {
      const result = await runCli([...args, "--project-directory", makeProject(files)]);
      expect(result.stderr).not.toContain("env_file");
      expect(result.exitCode).toBe(0);
    },
  );

  test("an env_file that is /dev/zero is not read either", async () => {
    const dir = makeProject({ "compose.yaml": "services:\n  app:\n    build: .\n    env_file: /dev/zero\n" });
    expect(service(await loadDir(dir), "app").build?.context).toBe(dir);
  });
});
