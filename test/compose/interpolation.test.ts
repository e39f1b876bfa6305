import { describe, expect, test } from "vitest";
import { makeProject } from "../helpers/run-cli.js";
import { InputError } from "../../src/errors.js";
import { loadDir, problemsIn, service } from "./helpers.js";

/** Compose's warning for an unset variable, at the line of `dir`/compose.yaml where it is first used. */
const unset = (name: string, dir?: string, line?: number) =>
  `${dir === undefined ? "" : `${dir}/compose.yaml:${line}: `}The "${name}" variable is not set. Defaulting to a blank string.`;

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
      unset("IMAGE_SUFFIX", dir, 4),
      unset("PLATFORM_SUFFIX", dir, 5),
      unset("PROFILE_SUFFIX", dir, 6),
      unset("BUILD_ARG", dir, 9),
      unset("GROUP_SUFFIX", dir, 10),
    ]);
  });

  test("a service without a build: unset variables in its image, platform or profiles are not a build's business (no warning, no image check)", async () => {
    const dir = makeProject({
      "compose.yaml": [
        "services:",
        "  app:",
        "    build: .",
        "  cache:",
        "    image: redis:${REDIS_VERSION}",
        "    platform: ${CACHE_PLATFORM}",
        "    profiles: ['${CACHE_PROFILE}']",
        "  datapusher:",
        "    image: ckan/ckan-base-datapusher:${DATAPUSHER_VERSION}",
        "",
      ].join("\n"),
    });
    expect((await loadDir(dir)).warnings).toEqual([]);
  });

  test("whether a service builds is known after the merge: an image in one file, its build in another, warns at the image's line", async () => {
    const dir = makeProject({
      "compose.yaml": "services:\n  api:\n    image: acme/api:${API_TAG}\n",
      "compose.override.yaml": "services:\n  api:\n    build: .\n",
    });
    expect((await loadDir(dir)).warnings).toEqual([
      `${dir}/compose.yaml:3: The "API_TAG" variable is not set. Defaulting to a blank string.`,
      `${dir}/compose.yaml:3: services.api.image: "acme/api:" is not a valid image reference: invalid tag format (API_TAG not set; ignored)`,
    ]);
  });

  test("a variable used in several places: one warning, at the first, naming the next lines and files", async () => {
    const dir = makeProject({
      "compose.yaml": [
        "services:",
        "  a:",
        "    build: { context: ., args: { X: '${X}' } }",
        "  b:",
        "    image: acme/b${X}",
        "    build: { context: ., args: { X: '${X}', Y: '1' } }",
        "",
      ].join("\n"),
      "extra.yaml": "services:\n  c:\n    build: { context: ., target: '${X}' }\n",
    });
    const project = await loadDir(dir, {
      files: [`${dir}/compose.yaml`, `${dir}/extra.yaml`],
    });
    expect(project.warnings).toEqual([
      `${dir}/compose.yaml:3: The "X" variable is not set. Defaulting to a blank string. (also used at lines 5, 6, ${dir}/extra.yaml:3)`,
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
    expect((await loadDir(dir)).warnings).toEqual([unset("TAG", dir, 1)]);
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
      [
        ["IMAGE", 3],
        ["PLATFORM", 4],
        ["MYVAR", 7],
        ["TARGET", 8],
        ["NETWORK", 9],
      ].map(([name, line]) => unset(String(name), dir, Number(line))),
    );
  });

  test("a size Compose cannot read, even one that interpolates to empty, fails loading as in Compose (shm_size)", async () => {
    const dir = makeProject({
      "compose.yaml":
        "services:\n  a:\n    build: { context: ., shm_size: '${SHM}' }\n  b:\n    build: { context: ., shm_size: lots }\n  c:\n    build: { context: ., shm_size: 1.5gb }\n",
    });
    expect((await problemsIn(dir)).map(({ line, message }) => ({ line, message }))).toEqual([
      { line: 3, message: 'services.a.build.shm_size: invalid size: "" (SHM is not set)' },
      { line: 5, message: 'services.b.build.shm_size: invalid size: "lots"' },
    ]);
  });

  test("a run-time value made invalid by an unset variable names it, and Compose's warning for it comes first (container_name, an integer)", async () => {
    const dir = makeProject({
      "compose.yaml": [
        "x-hc: &hc",
        "  retries: $RETRIES",
        "services:",
        "  a: { build: ., healthcheck: *hc }",
        "  b: { image: redis, healthcheck: *hc }",
        "  c: { image: redis, healthcheck: *hc }",
        "  main:",
        "    image: penpot",
        '    container_name: "${MAIN_CONTAINER_NAME}"',
        "",
      ].join("\n"),
    });
    const error = await loadDir(dir).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InputError);
    const { problems, warnings } = error as InputError;
    expect(problems).toEqual([
      {
        location: { file: `${dir}/compose.yaml`, line: 2 },
        message: 'services "a", "b" and "c": healthcheck.retries: "" is not an integer (RETRIES is not set)',
        hint: "set RETRIES in the environment or in the .env file",
        service: "a",
        unset: ["RETRIES"],
      },
      {
        location: { file: `${dir}/compose.yaml`, line: 9 },
        message:
          "services.main.container_name: must match the pattern [a-zA-Z0-9][a-zA-Z0-9_.-]+ (MAIN_CONTAINER_NAME is not set)",
        hint: "set MAIN_CONTAINER_NAME in the environment or in the .env file",
        service: "main",
        unset: ["MAIN_CONTAINER_NAME"],
      },
    ]);
    expect(warnings).toEqual([unset("RETRIES", dir, 2), unset("MAIN_CONTAINER_NAME", dir, 9)]);
  });

  test("the same value written wrong (not from a variable) keeps its own hint: write an integer", async () => {
    const dir = makeProject({
      "compose.yaml": "services:\n  a:\n    build: .\n    healthcheck: { retries: lots }\n",
    });
    expect(await problemsIn(dir)).toEqual([
      {
        file: "compose.yaml",
        line: 4,
        message: 'services.a.healthcheck.retries: "lots" is not an integer',
        hint: "write an integer",
      },
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
