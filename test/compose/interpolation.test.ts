import { describe, expect, test } from "vitest";
import { makeProject } from "../helpers/run-cli.js";
import { loadDir, problemsIn, service } from "./helpers.js";

const unset = (name: string) => `The "${name}" variable is not set. Defaulting to a blank string.`;

describe("interpolation across a whole compose file, as Compose does it", () => {
  test("a hook or command with $(…), $1, $@ on a service without a build does not stop loading (Compose keeps them literal)", async () => {
    const dir = makeProject({
      "compose.yaml": [
        "services:",
        "  app:",
        "    build: .",
        "    image: acme/app",
        "  sidecar:",
        "    image: busybox",
        "    command: sh -c 'echo $(cat /etc/hostname) $1 \"$@\" $- $ '",
        "    post_start:",
        "      - command: sh -c 'test -n \"$(hostname)\"'",
        "    healthcheck:",
        '      test: ["CMD-SHELL", "wget -q localhost:$${PORT:-80} || exit $?"]',
        "",
      ].join("\n"),
    });
    const project = await loadDir(dir);
    expect(service(project, "app").build?.context).toBe(dir);
    expect(project.warnings).toEqual([]);
  });

  test("only what a build reads warns about unset variables: build, image, platform, profiles, x-dockbuild — not environment, command, labels, healthcheck, hooks", async () => {
    const dir = makeProject({
      "compose.yaml": [
        "name: ${PROJECT_NAME:-warn}",
        "services:",
        "  app:",
        "    image: acme/app${IMAGE_SUFFIX}",
        "    platform: linux/amd64${PLATFORM_SUFFIX}",
        "    profiles: ['base${PROFILE_SUFFIX}']",
        "    build:",
        "      context: .",
        "      args: { TOKEN: $BUILD_ARG }",
        "    x-dockbuild: { groups: [g$GROUP_SUFFIX] }",
        "    environment: { DB: $RUNTIME_ENV }",
        "    command: echo ${RUNTIME_COMMAND}",
        "    entrypoint: ${RUNTIME_ENTRYPOINT}",
        "    labels: [a=$RUNTIME_LABEL]",
        "    healthcheck: { test: ['CMD', '${RUNTIME_HEALTH}'] }",
        "    post_start: [{ command: '${RUNTIME_HOOK}' }]",
        "    volumes: ['${RUNTIME_VOLUME}:/data']",
        "",
      ].join("\n"),
    });
    const project = await loadDir(dir);
    expect(project.warnings).toEqual([
      unset("IMAGE_SUFFIX"),
      unset("PLATFORM_SUFFIX"),
      unset("PROFILE_SUFFIX"),
      unset("BUILD_ARG"),
      unset("GROUP_SUFFIX"),
    ]);
  });

  test("a YAML anchor used by a run-time key and by a build key warns once, for the build", async () => {
    const dir = makeProject({
      "compose.yaml": [
        "x-tag: &tag ${TAG}",
        "services:",
        "  app:",
        "    build: { context: ., args: { TAG: *tag } }",
        "    environment: { TAG: *tag }",
        "  db:",
        "    image: postgres",
        "    environment: { TAG: *tag }",
        "",
      ].join("\n"),
    });
    expect((await loadDir(dir)).warnings).toEqual([unset("TAG")]);
  });

  test("unset variables in run-time keys do not fail loading; they become empty, as in Compose", async () => {
    const dir = makeProject({
      "compose.yaml":
        "services:\n  db:\n    image: postgres\n    environment:\n      PASSWORD: ${DB_PASSWORD}\n",
    });
    const project = await loadDir(dir);
    expect(project.services.map((s) => s.name)).toEqual(["db"]);
    expect(project.warnings).toEqual([]);
  });

  test("${X:?err} in an unused service's environment fails loading, as `docker compose build` does (it interpolates the whole file before it selects services)", async () => {
    const dir = makeProject({
      "compose.yaml": [
        "services:",
        "  app:",
        "    build: .",
        "  db:",
        "    image: postgres",
        "    environment:",
        "      PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD}",
        "",
      ].join("\n"),
    });
    expect(await problemsIn(dir)).toEqual([
      {
        file: "compose.yaml",
        line: 7,
        message:
          "services.db.environment.PASSWORD: required variable DB_PASSWORD is missing a value: set DB_PASSWORD",
        hint: "set DB_PASSWORD in the environment or in the .env file",
      },
    ]);
  });

  test("an invalid template anywhere fails loading with its file:line, as in Compose", async () => {
    const dir = makeProject({
      "compose.yaml":
        "services:\n  app:\n    build: .\n  db:\n    image: postgres\n    command: echo ${oops\n",
    });
    expect(await problemsIn(dir)).toEqual([
      {
        file: "compose.yaml",
        line: 6,
        message: 'services.db.command: invalid interpolation format "echo ${oops"',
        hint: "write a literal $ as $$",
      },
    ]);
  });

  test("a string Compose casts (depends_on required) may come from a variable; one it cannot cast is an error", async () => {
    const ok = makeProject({
      "compose.yaml": [
        "services:",
        "  app:",
        "    build: .",
        "    depends_on:",
        "      db: { condition: service_started, required: '${DB_REQUIRED:-false}' }",
        "    privileged: 'yes'",
        "  db:",
        "    image: postgres",
        "",
      ].join("\n"),
    });
    expect(service(await loadDir(ok), "app").dependsOn).toEqual(["db"]);
    const bad = makeProject({
      "compose.yaml": "services:\n  app:\n    build: .\n    tty: maybe\n    scale: two\n",
    });
    expect((await problemsIn(bad)).map(({ line, message }) => ({ line, message }))).toEqual([
      { line: 4, message: 'services.app.tty: "maybe" is not a boolean' },
      { line: 5, message: 'services.app.scale: "two" is not an integer' },
    ]);
  });

  test("a value that interpolates to empty is no value: `dockerfile: ${MYVAR}` unset builds Dockerfile, with Compose's warning", async () => {
    const dir = makeProject({
      "compose.yaml": [
        "services:",
        "  app:",
        "    image: ${IMAGE}",
        "    platform: ${PLATFORM}",
        "    build:",
        "      context: ${CONTEXT:-.}",
        "      dockerfile: ${MYVAR}",
        "      target: ${TARGET}",
        "      network: ${NETWORK}",
        "",
      ].join("\n"),
    });
    const project = await loadDir(dir);
    const app = service(project, "app");
    expect(app.image).toBeUndefined();
    expect(app.platform).toBeUndefined();
    expect(app.build).toMatchObject({
      context: dir,
      dockerfile: `${dir}/Dockerfile`,
      target: undefined,
      network: undefined,
      platforms: [],
    });
    expect(project.warnings).toEqual(
      ["IMAGE", "PLATFORM", "MYVAR", "TARGET", "NETWORK"].map((name) => unset(name)),
    );
  });

  test("a size Compose cannot read, even one that interpolates to empty, fails loading as in Compose (shm_size)", async () => {
    const dir = makeProject({
      "compose.yaml":
        "services:\n  a:\n    build: { context: ., shm_size: '${SHM}' }\n  b:\n    build: { context: ., shm_size: lots }\n  c:\n    build: { context: ., shm_size: 1.5gb }\n",
    });
    expect((await problemsIn(dir)).map(({ line, message }) => ({ line, message }))).toEqual([
      { line: 3, message: 'services.a.build.shm_size: invalid size: ""' },
      { line: 5, message: 'services.b.build.shm_size: invalid size: "lots"' },
    ]);
  });

  test("an empty dockerfile beside dockerfile_inline is not a conflict (Compose checks both non-empty)", async () => {
    const dir = makeProject({
      "compose.yaml":
        "services:\n  app:\n    build:\n      context: .\n      dockerfile: ${DF:-}\n      dockerfile_inline: FROM scratch\n",
    });
    expect(service(await loadDir(dir), "app").build).toMatchObject({
      dockerfile: undefined,
      dockerfileInline: "FROM scratch",
    });
  });
});
