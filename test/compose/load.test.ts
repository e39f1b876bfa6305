import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { describe, expect, test } from "vitest";
import type { BuildSpec } from "../../src/compose/types.js";
import { fixture, load, service } from "./helpers.js";

/** A full BuildSpec with Compose's defaults, so that `toEqual` also catches unexpected fields. */
function spec(context: string, fields: Partial<BuildSpec> = {}): BuildSpec {
  return {
    context,
    dockerfile: `${context}/Dockerfile`,
    dockerfileInline: undefined,
    target: undefined,
    args: {},
    additionalContexts: {},
    tags: [],
    labels: {},
    platforms: [],
    cacheFrom: [],
    cacheTo: [],
    secrets: [],
    ssh: [],
    network: undefined,
    extraHosts: [],
    shmSize: undefined,
    noCache: false,
    pull: false,
    ulimits: {},
    privileged: false,
    entitlements: [],
    ...fields,
  };
}

describe("loadProject", () => {
  test("twenty services share one build through a YAML anchor; cleanup has its own BASE_IMAGE arg", async () => {
    const project = await load("anchors");
    const dir = fixture("anchors");
    expect(project.services.map((s) => s.name)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `svc${String(i + 1).padStart(2, "0")}`),
      "cleanup",
    ]);
    const shared = spec(`${dir}/app`, {
      dockerfile: `${dir}/app/docker/Dockerfile`,
      target: "production",
      args: { NODE_VERSION: "22" },
    });
    for (const [i, svc] of project.services.slice(0, 20).entries()) {
      expect(svc.build).toEqual(shared);
      expect(svc.image).toBe(`acme/svc${String(i + 1).padStart(2, "0")}:dev`);
      expect(svc.location).toEqual({ file: `${dir}/compose.yaml`, line: 10 + 3 * i });
      expect(svc.buildLocation).toEqual({ file: `${dir}/compose.yaml`, line: 2 });
    }
    const cleanup = service(project, "cleanup");
    expect(cleanup.build).toEqual(spec(`${dir}/cleanup`, { args: { BASE_IMAGE: "acme/svc01:dev" } }));
    expect(cleanup.dependsOn).toEqual(["svc01"]);
    expect(project).toMatchObject({
      name: "anchors",
      workingDir: dir,
      composeFiles: [`${dir}/compose.yaml`],
    });
  });

  test("merge keys with a list of anchors: earlier anchors win, own keys win over all", async () => {
    const project = await load("merge-keys");
    const dir = fixture("merge-keys");
    expect(service(project, "both")).toMatchObject({ image: "from-a", profiles: ["pb"] });
    expect(service(project, "both").build).toEqual(spec(`${dir}/a`, { target: "ta" }));
    expect(service(project, "own").image).toBe("own");
    expect(service(project, "single").build).toEqual(spec(`${dir}/b`));
  });

  test("a chain of base images over several files joined by extends: file:", async () => {
    const project = await load("base-chain");
    const dir = fixture("base-chain");
    const images = `${dir}/images`;
    expect(service(project, "jre").build).toEqual(spec(`${images}/jre`, { args: { JRE_VERSION: "21" } }));
    expect(service(project, "jre").image).toBe("acme/jre:21");
    expect(service(project, "framework").build).toEqual(
      spec(`${images}/framework`, {
        args: { JRE_VERSION: "21", BASE_IMAGE: "acme/jre:21" },
        tags: ["acme/framework:latest"],
      }),
    );
    expect(service(project, "common").build).toEqual(
      spec(`${images}/common`, {
        dockerfile: `${images}/common/Dockerfile.common`,
        args: { JRE_VERSION: "21", BASE_IMAGE: "acme/framework" },
        tags: ["acme/framework:latest", "acme/common:latest"],
      }),
    );
    // The extending file's paths resolve against its own folder, the template's against the template's file;
    // the template's relative dockerfile follows the context the extending service chose.
    expect(service(project, "billing").build).toEqual(
      spec(`${dir}/apps/billing`, {
        dockerfile: `${dir}/apps/billing/app.Dockerfile`,
        args: { BASE_IMAGE: "acme/common", APP: "billing" },
        additionalContexts: { shared: `${images}/common/shared` },
      }),
    );
    expect(service(project, "ledger").build?.context).toBe(`${dir}/apps/ledger`);
    expect(service(project, "ledger").image).toBe("acme/ledger");
    expect(service(project, "billing").location).toEqual({ file: `${dir}/compose.yaml`, line: 10 });
    expect(service(project, "billing").buildLocation).toEqual({ file: `${dir}/compose.yaml`, line: 13 });
    expect(service(project, "jre").buildLocation).toEqual({ file: `${images}/jre/compose.yaml`, line: 4 });
    expect(service(project, "common").buildLocation).toEqual({
      file: `${images}/common/compose.yaml`,
      line: 5,
    });
  });

  test("extends in the same file: order-independent, chained; x-dockbuild is replaced, not merged", async () => {
    const project = await load("extends-local");
    const dir = fixture("extends-local");
    const app = service(project, "app");
    expect(app.build).toEqual(spec(`${dir}/base`, { target: "app", args: { A: "1" } }));
    expect(app).toMatchObject({ image: "acme/base", dependsOn: ["db"], extension: { groups: ["core"] } });
    expect(app.location).toEqual({ file: `${dir}/compose.yaml`, line: 2 });
    expect(app.buildLocation).toEqual({ file: `${dir}/compose.yaml`, line: 4 });
    const app2 = service(project, "app2");
    expect(app2.build).toEqual(app.build);
    expect(app2.extension).toEqual({ skip: true });
    expect(app2.buildLocation).toEqual({ file: `${dir}/compose.yaml`, line: 4 });
    expect(service(project, "base").build).toEqual(spec(`${dir}/base`, { args: { A: "1" } }));
  });

  test("a build section that exists only in the default override file", async () => {
    const project = await load("override-build");
    const dir = fixture("override-build");
    expect(project.composeFiles).toEqual([`${dir}/compose.yaml`, `${dir}/compose.override.yaml`]);
    const api = service(project, "api");
    expect(api.build).toEqual(spec(`${dir}/api`, { target: "dev" }));
    expect(api.image).toBe("acme/api:dev");
    expect(api.location).toEqual({ file: `${dir}/compose.yaml`, line: 2 });
    expect(api.buildLocation).toEqual({ file: `${dir}/compose.override.yaml`, line: 3 });
    expect(service(project, "db").build).toBeUndefined();
  });

  test("depends_on is kept as run-time dependencies only, never in the build", async () => {
    const project = await load("override-build");
    expect(service(project, "api").dependsOn).toEqual(["db"]);
    expect(service(project, "api").extension).toEqual({});
    expect(service(project, "api").build?.additionalContexts).toEqual({});
  });

  test("-f files merge by Compose's rules; an override's relative paths resolve against the project directory", async () => {
    const project = await load("multi-file", {
      files: ["compose.yaml", "overrides/ci.yaml"],
      env: { C: "from-env" },
    });
    const dir = fixture("multi-file");
    expect(project.composeFiles).toEqual([`${dir}/compose.yaml`, `${dir}/overrides/ci.yaml`]);
    expect(project.services.map((s) => s.name)).toEqual(["web", "worker", "cache", "added"]);
    const web = service(project, "web");
    expect(web.build).toEqual(
      spec(`${dir}/web`, {
        target: "ci",
        args: { A: "1", B: "3", C: "from-env" },
        tags: ["acme/web:1", "acme/web:latest", "acme/web:ci"],
        labels: { team: "core", tier: "front" },
        cacheFrom: ["type=gha"],
        platforms: ["linux/amd64", "linux/arm64"],
        extraHosts: ["db:10.0.0.1", "cache:10.0.0.2"],
      }),
    );
    expect(web.profiles).toEqual(["web", "ci"]);
    expect(web.dependsOn).toEqual(["cache", "worker"]);
    expect(web.buildLocation).toEqual({ file: `${dir}/overrides/ci.yaml`, line: 3 });
    const worker = service(project, "worker");
    expect(worker.build?.context).toBe(`${dir}/worker2`);
    expect(worker.image).toBeUndefined();
    expect(service(project, "added").build?.context).toBe(`${dir}/added`);
    expect(service(project, "added").location).toEqual({ file: `${dir}/overrides/ci.yaml`, line: 19 });
  });

  test("include: each included file is its own project, with its own folder and env file", async () => {
    const project = await load("include");
    const dir = fixture("include");
    expect(project.services.map((s) => s.name)).toEqual(["auth", "lint", "app"]);
    const auth = service(project, "auth");
    expect(auth.image).toBe("acme/auth:3");
    expect(auth.build).toEqual(
      spec(`${dir}/libs/auth`, { secrets: [{ id: "npmrc", file: `${dir}/libs/auth/npmrc.txt` }] }),
    );
    expect(auth.location).toEqual({ file: `${dir}/libs/auth/compose.yaml`, line: 2 });
    expect(service(project, "lint").build).toEqual(
      spec(`${dir}/tools`, { additionalContexts: { src: dir } }),
    );
    expect(service(project, "app").build).toEqual(spec(dir));
    expect(service(project, "app").dependsOn).toEqual(["auth"]);
  });

  test("include: the including project's environment wins over the included env_file", async () => {
    const project = await load("include", { env: { AUTH_TAG: "9" } });
    expect(service(project, "auth").image).toBe("acme/auth:9");
  });

  test("COMPOSE_FILE replaces the default lookup, split by COMPOSE_PATH_SEPARATOR", async () => {
    const dir = fixture("compose-file-env");
    const project = await load("compose-file-env", {
      env: { COMPOSE_FILE: "base.yaml;extra.yaml", COMPOSE_PATH_SEPARATOR: ";" },
    });
    expect(project.composeFiles).toEqual([`${dir}/base.yaml`, `${dir}/extra.yaml`]);
    expect(project.services.map((s) => s.name)).toEqual(["one", "two"]);
    expect(service(project, "one").build).toEqual(spec(`${dir}/one`, { target: "extra" }));
  });

  test("COMPOSE_FILE is split by : by default; -f wins over it", async () => {
    const dir = fixture("compose-file-env");
    const fromEnv = await load("compose-file-env", { env: { COMPOSE_FILE: "base.yaml:extra.yaml" } });
    expect(fromEnv.composeFiles).toEqual([`${dir}/base.yaml`, `${dir}/extra.yaml`]);
    const explicit = await load("compose-file-env", {
      files: ["base.yaml"],
      env: { COMPOSE_FILE: "extra.yaml" },
    });
    expect(explicit.composeFiles).toEqual([`${dir}/base.yaml`]);
  });

  test("the default lookup climbs to the parent folders and takes the override beside the file found", async () => {
    const dir = fixture("search");
    const project = await load("search", { cwd: fixture("search", "nested", "deeper") });
    expect(project.composeFiles).toEqual([`${dir}/compose.yaml`, `${dir}/docker-compose.override.yml`]);
    expect(project.workingDir).toBe(dir);
    expect(project.services.map((s) => s.name)).toEqual(["found"]);
    expect(service(project, "found").build).toEqual(spec(`${dir}/found`, { target: "from-override" }));
    expect(project.warnings).toEqual([
      `Found multiple config files with supported names: ${dir}/compose.yaml, ${dir}/docker-compose.yml; using ${dir}/compose.yaml`,
    ]);
  });

  test("profiles: COMPOSE_PROFILES (here from .env) is recorded; services are not filtered", async () => {
    const project = await load("profiles");
    expect(project.activeProfiles).toEqual(["docs", "debug"]);
    expect(project.services.map((s) => [s.name, s.profiles])).toEqual([
      ["api", []],
      ["debug", ["debug", "tools"]],
      ["docs", ["docs"]],
    ]);
    expect(project.warnings).toEqual([
      `${fixture("profiles", "compose.yaml")}:1: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`,
    ]);
  });

  test("profiles: the option wins over COMPOSE_PROFILES, and the process env over .env", async () => {
    expect((await load("profiles", { profiles: ["tools"] })).activeProfiles).toEqual(["tools"]);
    expect((await load("profiles", { env: { COMPOSE_PROFILES: "x,y" } })).activeProfiles).toEqual(["x", "y"]);
  });

  test("every interpolation form, with .env under the process environment", async () => {
    const project = await load("interpolation", { env: { BOTH: "from-process", TARGET: "prod" } });
    const dir = fixture("interpolation");
    const forms = service(project, "forms");
    expect(forms.image).toBe("registry.local:5000/forms:1.2");
    expect(forms.build).toEqual(
      spec(`${dir}/ctx`, {
        target: "prod",
        args: {
          SET_SOFT_DEFAULT: "value",
          EMPTY_SOFT_DEFAULT: "fallback",
          EMPTY_HARD_DEFAULT: "",
          UNSET_HARD_DEFAULT: "fallback",
          ALT_SET: "alt",
          ALT_EMPTY_SOFT: "",
          ALT_EMPTY_HARD: "alt",
          ALT_UNSET: "",
          REQUIRED_SET: "value",
          REQUIRED_EMPTY_ALLOWED: "",
          NESTED: "value-x",
          NESTED_DEEP: "deep",
          ESCAPED: "$HOME and ${SET}",
          MISSING: "pre--post",
          BARE_MISSING: "",
          FROM_DOTENV: 'line1\nline2 "quoted" $SET',
          DERIVED: "value-derived",
          SINGLE_QUOTED: "no $SET here",
          INLINE_COMMENT: "abc",
          HASH: "abc#def",
          PROCESS_WINS: "from-process",
          NUMBER: "3",
          lower: "spaced",
        },
        labels: { "${NOT_INTERPOLATED}": "key-kept" },
      }),
    );
    expect(project.name).toBe("interp");
    expect(project.environment).toMatchObject({
      BOTH: "from-process",
      SET: "value",
      TAG: "1.2",
      TARGET: "prod",
    });
    const file = fixture("interpolation", "compose.yaml");
    expect(project.warnings).toEqual([
      `${file}:22: The "NOT_SET_AT_ALL" variable is not set. Defaulting to a blank string.`,
      `${file}:23: The "BARE_UNSET" variable is not set. Defaulting to a blank string.`,
    ]);
  });

  test("--env-file replaces .env", async () => {
    const project = await load("interpolation", {
      envFiles: [fixture("include", "libs", "auth", "auth.env")],
      env: { TARGET: "t", SET: "s", EMPTY: "", DOTENV_ONLY: "d", REGISTRY: "r.local" },
    });
    expect(project.environment).toEqual({
      AUTH_TAG: "3",
      TARGET: "t",
      SET: "s",
      EMPTY: "",
      DOTENV_ONLY: "d",
      REGISTRY: "r.local",
    });
    expect(service(project, "forms").image).toBe("r.local/forms:latest");
  });

  test("every build key, in its mapping form", async () => {
    const project = await load("build-forms", { env: { FROM_ENV: "env-value", HOME: "/home/u" } });
    const dir = fixture("build-forms");
    expect(service(project, "full").build).toEqual({
      context: `${dir}/full`,
      dockerfile: `${dir}/full/build/Dockerfile.prod`,
      dockerfileInline: undefined,
      target: "production",
      args: { NUM: "1", BOOL: "true", FROM_ENV: "env-value", STR: "x" },
      additionalContexts: {
        base: "service:base",
        img: "docker-image://alpine:3.20",
        repo: "https://github.com/acme/repo.git",
        local: fixture("shared"),
      },
      tags: ["acme/full:1"],
      labels: { "com.acme.team": "core", empty: "" },
      platforms: ["linux/amd64", "linux/arm64"],
      cacheFrom: ["type=registry,ref=acme/cache"],
      cacheTo: ["type=inline"],
      secrets: [
        { id: "npmrc", file: `${dir}/secrets/npmrc` },
        { id: "api_token", environment: "API_TOKEN" },
      ],
      ssh: ["default", `deploy=${dir}/keys/id_ed25519`],
      network: "host",
      extraHosts: ["db:10.0.0.5", "cache:10.0.0.6"],
      shmSize: "2gb",
      noCache: true,
      pull: true,
      ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: { soft: 65535, hard: 65535 } },
      privileged: true,
      entitlements: ["network.host"],
    } satisfies BuildSpec);
  });

  test("every build key that has a list or short form", async () => {
    const project = await load("build-forms", { env: { FROM_ENV: "env-value" } });
    const dir = fixture("build-forms");
    expect(service(project, "listforms").build).toEqual(
      spec(dir, {
        args: { A: "1", FROM_ENV: "env-value", UNSET_ARG: undefined, EQ: "a=b" },
        additionalContexts: { base: "service:base", local: `${dir}/lib` },
        labels: { "com.acme.a": "1", flag: "" },
        ssh: ["default", `deploy=${dir}/keys/k`],
        extraHosts: ["db:10.0.0.5", "multi:10.0.0.7", "multi:::1"],
        shmSize: "67108864",
        ulimits: { nofile: { soft: 4096, hard: 4096 } },
      }),
    );
    expect(Object.keys(service(project, "listforms").build?.args ?? {})).toContain("UNSET_ARG");
  });

  test("remote contexts, inline and absolute Dockerfiles", async () => {
    const project = await load("build-forms");
    const dir = fixture("build-forms");
    expect(service(project, "inline").build).toMatchObject({
      context: "https://github.com/acme/repo.git#main",
      dockerfile: undefined,
      dockerfileInline: "FROM scratch\n",
    });
    expect(service(project, "remote").build).toMatchObject({
      context: "git@github.com:acme/repo.git",
      dockerfile: "docker/Dockerfile",
    });
    expect(service(project, "absdf").build).toMatchObject({ context: dir, dockerfile: "/opt/Dockerfile" });
  });

  test("services with neither image nor build are still services; x-dockbuild becomes the extension", async () => {
    const project = await load("build-forms");
    const nothing = service(project, "nothing");
    expect([nothing.image, nothing.build, nothing.buildLocation]).toEqual([undefined, undefined, undefined]);
    expect(nothing.location).toEqual({ file: fixture("build-forms", "compose.yaml"), line: 72 });
    expect(service(project, "image-only").image).toBe("redis");
    expect(service(project, "image-only").build).toBeUndefined();
    expect(service(project, "ext").extension).toEqual({
      dependsOn: ["base", "other"],
      skip: true,
      groups: ["backend"],
    });
    expect(service(project, "full").extension).toEqual({});
  });

  test.each([
    ["the folder name, normalized", "names/My_Project.Dir", {}, "my_projectdir"],
    ["top-level name:", "names", {}, "from-file"],
    ["COMPOSE_PROJECT_NAME over name:", "names", { env: { COMPOSE_PROJECT_NAME: "from-env" } }, "from-env"],
    [
      "-p over everything",
      "names",
      { projectName: "from-option", env: { COMPOSE_PROJECT_NAME: "x" } },
      "from-option",
    ],
  ])("project name: %s", async (_name, dir, options, expected) => {
    expect((await load(dir, options)).name).toBe(expected);
  });

  test("--project-directory sets the working directory and where relative paths resolve", async () => {
    const project = await load("override-build", {
      files: ["compose.override.yaml"],
      projectDirectory: "elsewhere",
    });
    expect(project.workingDir).toBe(fixture("override-build", "elsewhere"));
    expect(service(project, "api").build?.context).toBe(fixture("override-build", "elsewhere", "api"));
    expect(project.name).toBe("elsewhere");
  });

  test("a 500-service file loads every service (no quadratic work on the way)", async () => {
    const dir = await mkdtemp(`${tmpdir()}/dockbuild-compose-`);
    const services = Array.from(
      { length: 500 },
      (_, i) => `  s${i}:\n    <<: *b\n    image: acme/s${i}\n    depends_on: [s${Math.max(i - 1, 0)}]\n`,
    );
    await writeFile(
      `${dir}/compose.yaml`,
      `x-b: &b\n  build:\n    context: .\n    args: {N: "\${N:-1}"}\nservices:\n${services.join("")}`,
    );
    const project = await load("anchors", { cwd: dir }).finally(() =>
      rm(dir, { recursive: true, force: true }),
    );
    expect(project.services).toHaveLength(500);
    expect(project.services[499]).toMatchObject({ name: "s499", image: "acme/s499", dependsOn: ["s498"] });
    expect(project.services[499]?.build?.args).toEqual({ N: "1" });
  });
});
