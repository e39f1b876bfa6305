import { describe, expect, test } from "vitest";
import { applyOverlay } from "../../src/compose/schema-overlay.js";
import { makeProject, runCli } from "../helpers/run-cli.js";
import { loadDir, problemsIn, service } from "./helpers.js";

const without = (problems: { line?: number; message: string; hint?: string }[]) =>
  problems.map(({ line, message, hint }) => ({ line, message, hint }));

describe("every compose file is validated against the Compose specification's JSON schema", () => {
  test("keys of today's Compose that dockbuild does not use for building are accepted", async () => {
    const dir = makeProject({
      "compose.yaml": [
        "name: modern",
        "include:",
        "  - path: ./lib/compose.yaml",
        "    env_file: ./lib/lib.env",
        "models:",
        "  llm: { model: ai/smollm2 }",
        "services:",
        "  app:",
        "    build:",
        "      context: .",
        "      additional_contexts: { shared: ./shared }",
        "      entitlements: [network.host]",
        "      privileged: true",
        "      provenance: mode=max",
        "      sbom: true",
        "      no_cache_filter: [deps]",
        "      x-note: kept",
        "    develop:",
        "      watch:",
        "        - { path: ./src, action: sync, target: /app/src, initial_sync: true }",
        "    gpus: all",
        "    models: [llm]",
        "    use_api_socket: true",
        "    annotations: { com.example: x }",
        "    attach: false",
        "    label_file: ./labels",
        "    cgroup: private",
        "    uts: host",
        "    pull_refresh_after: 24h",
        "    healthcheck: { test: [CMD, 'true'], start_interval: 5s }",
        "    depends_on:",
        "      db: { condition: service_healthy, restart: true, required: false }",
        "    pre_start:",
        "      - { command: migrate, per_replica: false }",
        "    post_start:",
        "      - { command: ./warm-up.sh, user: root }",
        "    pre_stop:",
        "      - command: ./drain.sh",
        "  db:",
        "    image: postgres",
        "  ai:",
        "    provider:",
        "      type: model",
        "      options: { model: ai/smollm2 }",
        "secrets:",
        "  token: { environment: TOKEN }",
        "configs:",
        "  motd: { content: hello }",
        "networks:",
        "  front: { enable_ipv4: true }",
        "",
      ].join("\n"),
      "lib/compose.yaml": "services:\n  lib:\n    image: acme/lib\n",
      "lib/lib.env": "",
    });
    const loaded = await loadDir(dir);
    expect(loaded.services.map((s) => s.name)).toEqual(["lib", "app", "db", "ai"]);
    expect(service(loaded, "app").build?.additionalContexts).toEqual({ shared: `${dir}/shared` });
  });

  test("!reset and !override in an override file are not schema errors", async () => {
    const dir = makeProject({
      "compose.yaml":
        "services:\n  app:\n    build: { context: ., args: { A: '1' } }\n    ports: ['80:80']\n",
      "compose.override.yaml":
        "services:\n  app:\n    ports: !reset []\n    build: !override { context: ./other }\n",
    });
    expect(service(await loadDir(dir), "app").build?.context).toBe(`${dir}/other`);
  });

  test("`biuld` under a service is an error like Compose's, with a did-you-mean hint, exit 2", async () => {
    const dir = makeProject({ "compose.yaml": "services:\n  app:\n    biuld: .\n" });
    const result = await runCli(["plan", "--project-directory", dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `${dir}/compose.yaml:3: services.app: additional property 'biuld' is not allowed`,
    );
    expect(result.stderr).toContain('hint: did you mean "build"?');
  });

  test("every problem of every kind is collected, each at its line", async () => {
    const dir = makeProject({
      "compose.yaml": [
        "servces: {}",
        "services:",
        "  'my app':",
        "    image: x",
        "  app:",
        "    build: 5",
        "    cgroup: shared",
        "    extends: { file: base.yaml }",
        "    ports: [{ target: 80, bogus: 1 }]",
        "  web:",
        "    build:",
        "      context: .",
        "      ssh: default",
        "      no_cache: maybe",
        "    x-dockbuild: { skp: true }",
        "",
      ].join("\n"),
    });
    expect(without(await problemsIn(dir))).toEqual([
      {
        line: 1,
        message: "top level: additional property 'servces' is not allowed",
        hint: 'did you mean "services"?',
      },
      {
        line: 3,
        message: "services: additional property 'my app' is not allowed",
        hint: "names may only use letters, digits, '.', '_' and '-'",
      },
      {
        line: 6,
        message: "services.app.build: must be a string or a mapping",
        hint: "see https://docs.docker.com/reference/compose-file/build/",
      },
      {
        line: 7,
        message: "services.app.cgroup: must be one of host, private",
        hint: "see https://docs.docker.com/reference/compose-file/services/",
      },
      {
        line: 8,
        message: 'services.app.extends: "service" is required',
        hint: "see https://docs.docker.com/reference/compose-file/services/",
      },
      {
        line: 9,
        message: "services.app.ports[0]: additional property 'bogus' is not allowed",
        hint: "the keys allowed here are name, mode, host_ip, target, published, protocol, app_protocol and x-… extensions",
      },
      {
        line: 13,
        message: "services.web.build.ssh: must be a mapping or a list",
        hint: "see https://docs.docker.com/reference/compose-file/build/",
      },
      {
        line: 14,
        message: 'services.web.build.no_cache: "maybe" is not a boolean',
        hint: "write true or false",
      },
      {
        line: 15,
        message: "services.web.x-dockbuild: additional property 'skp' is not allowed",
        hint: 'did you mean "skip"?',
      },
    ]);
  });

  test("the overlay refuses to patch a place the shipped schema does not have", () => {
    expect(() => applyOverlay({ definitions: {} }, [{ at: "definitions.nope", properties: {} }])).toThrow(
      "schema overlay: nothing at definitions.nope",
    );
    expect(
      applyOverlay({ a: { properties: { x: {} } } }, [{ at: "a", properties: { y: { type: "string" } } }]),
    ).toEqual({ a: { properties: { x: {}, y: { type: "string" } } } });
  });
});
