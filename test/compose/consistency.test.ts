import { describe, expect, test } from "vitest";
import { makeProject } from "../helpers/run-cli.js";
import { loadDir, problemsIn } from "./helpers.js";

// compose-go's checkConsistency (loader/validate.go), which `docker compose build` runs on the services the
// active profiles enable: what a service names must exist.

const compose = (...lines: string[]) => ({ "compose.yaml": [...lines, ""].join("\n") });

describe("a service that refers to something undefined is refused, as `docker compose build` refuses it", () => {
  test("secrets, networks, named volumes (short and long form), configs and models: each at its line", async () => {
    const dir = makeProject(
      compose(
        "services:",
        "  zulip:",
        "    build: .",
        "    secrets: [zulip__postgres_password, { source: zulip__rabbitmq }]",
        "    networks: [backend]",
        "    volumes:",
        "      - data:/data",
        "      - { type: volume, source: cache, target: /cache }",
        "    configs: [motd]",
        "    models: [llm]",
      ),
    );
    expect(await problemsIn(dir)).toEqual(
      [
        [4, "secrets[0]", "secret zulip__postgres_password", "secrets"],
        [4, "secrets[1]", "secret zulip__rabbitmq", "secrets"],
        [5, "networks[0]", "network backend", "networks"],
        [7, "volumes[0]", "volume data", "volumes"],
        [8, "volumes[1]", "volume cache", "volumes"],
        [9, "configs[0]", "config motd", "configs"],
        [10, "models[0]", "model llm", "models"],
      ].map(([line, key, what, section]) => ({
        file: "compose.yaml",
        line,
        message: `services.zulip.${key}: refers to undefined ${what}`,
        hint: `declare it under the top-level ${section}: (with external: true for one made outside this project)`,
      })),
    );
  });

  test("declared names, the default network, host paths and anonymous volumes are fine; included projects declare too", async () => {
    const dir = makeProject({
      ...compose(
        "include: [./lib/compose.yaml]",
        "services:",
        "  app:",
        "    build: .",
        "    secrets: [token]",
        "    networks: { default: {}, front: {}, lib_net: {} }",
        "    volumes: [data:/data, ./src:/src, /abs:/abs, ~/x:/x, /anonymous, 'C:\\\\win:/w', lib_vol:/l]",
        "    configs: [{ source: motd, target: /etc/motd }]",
        "secrets:",
        "  token: { external: true }",
        "networks:",
        "  front: {}",
        "volumes:",
        "  data: {}",
        "configs:",
        "  motd: { content: hi }",
      ),
      "lib/compose.yaml":
        "services:\n  lib:\n    image: acme/lib\nnetworks:\n  lib_net: {}\nvolumes:\n  lib_vol: {}\n",
    });
    expect((await loadDir(dir)).services.map((s) => s.name)).toEqual(["lib", "app"]);
  });

  test("only services the active profiles enable are checked, as Compose checks after applying profiles", async () => {
    const dir = makeProject(
      compose(
        "services:",
        "  app:",
        "    build: .",
        "  tools:",
        "    image: acme/tools",
        "    profiles: [tools]",
        "    networks: [nowhere]",
      ),
    );
    expect((await loadDir(dir)).services).toHaveLength(2);
    expect(await problemsIn(dir, { profiles: ["tools"] })).toEqual([
      expect.objectContaining({
        line: 7,
        message: "services.tools.networks[0]: refers to undefined network nowhere",
      }),
    ]);
  });

  test("depends_on a service that is not there, or that a profile disables while it is required", async () => {
    const dir = makeProject(
      compose(
        "services:",
        "  web:",
        "    build: .",
        "    depends_on:",
        "      db: { condition: service_started }",
        "      ghost: { condition: service_started, required: false }",
        "      mock: { condition: service_started, required: false }",
        "  db:",
        "    image: postgres",
        "    profiles: [dev]",
        "  mock:",
        "    image: mock",
        "    profiles: [dev]",
      ),
    );
    expect(await problemsIn(dir)).toEqual([
      {
        file: "compose.yaml",
        line: 5,
        message: 'services.web.depends_on: depends on undefined service "db"',
        hint: '"db" is behind inactive profiles (dev): activate one with --profile, or set required: false',
      },
      {
        file: "compose.yaml",
        line: 6,
        message: 'services.web.depends_on: depends on undefined service "ghost"',
        hint: "name a service of this project, or remove it from depends_on",
      },
    ]);
    expect((await problemsIn(dir, { profiles: ["dev"] })).map((p) => p.message)).toEqual([
      'services.web.depends_on: depends on undefined service "ghost"',
    ]);
  });

  test("network_mode beside networks, network_mode of a missing service, a healthcheck test without CMD", async () => {
    const dir = makeProject(
      compose(
        "services:",
        "  app:",
        "    build: .",
        "    network_mode: host",
        "    networks: [default]",
        "  sidecar:",
        "    image: busybox",
        '    network_mode: "service:nope"',
        "    healthcheck: { test: [curl, localhost] }",
      ),
    );
    expect((await problemsIn(dir)).map(({ line, message }) => ({ line, message }))).toEqual([
      { line: 4, message: "services.app.network_mode: network_mode and networks are mutually exclusive" },
      {
        line: 8,
        message: "services.sidecar.network_mode: service \"nope\" not found for network_mode 'service:nope'",
      },
      {
        line: 9,
        message: 'services.sidecar.healthcheck.test: must start either by "CMD", "CMD-SHELL" or "NONE"',
      },
    ]);
  });
});
