import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { InputError, formatProblem } from "../../src/errors.js";
import { loadProject } from "../../src/compose/load.js";
import { fixture, problemsOf, type SeenProblem } from "./helpers.js";

type Expected = Omit<SeenProblem, "hint">;

const without = (problems: SeenProblem[]): Expected[] => problems.map(({ hint: _hint, ...rest }) => rest);

describe("bad input: every problem, with its file and line", () => {
  test.each<[string, Expected[]]>([
    ["duplicate-key", [{ file: "compose.yaml", line: 4, message: "invalid YAML: Map keys must be unique" }]],
    [
      "bad-type",
      [
        { file: "compose.yaml", line: 5, message: "services.api.build.args: must be a mapping or a list" },
        { file: "compose.yaml", line: 6, message: "services.api.build.tags[1]: must be a string" },
        {
          file: "compose.yaml",
          line: 7,
          message: 'services.api.build.no_cache: "maybe" is not a boolean',
        },
        { file: "compose.yaml", line: 8, message: "services.api.profiles: must be a list" },
        {
          file: "compose.yaml",
          line: 10,
          message: "services.worker.build: must be a string or a mapping",
        },
        { file: "compose.yaml", line: 11, message: "services.broken: must be a mapping" },
      ],
    ],
    [
      "unknown-build-key",
      [
        {
          file: "compose.yaml",
          line: 5,
          message: "services.api.build: additional property 'contxt' is not allowed",
        },
        {
          file: "compose.yaml",
          line: 7,
          message: "services.api: additional property 'biuld' is not allowed",
        },
        {
          file: "compose.yaml",
          line: 10,
          message: "services.api.x-dockbuild: additional property 'group' is not allowed",
        },
      ],
    ],
    [
      "required-var",
      [
        {
          file: "compose.yaml",
          line: 7,
          message: "services.api.build.args.TOKEN: required variable X is missing a value: must be set",
        },
        {
          file: "compose.yaml",
          line: 8,
          message: "services.api.build.args.PLAIN: required variable Y is missing a value",
        },
      ],
    ],
    [
      "extends-cycle",
      [
        {
          file: "compose.yaml",
          line: 9,
          message: "services.c.extends: circular reference: a -> b -> c -> a",
        },
        {
          file: "compose.yaml",
          line: 11,
          message: "services.self.extends: circular reference: self -> self",
        },
      ],
    ],
    [
      "extends-missing",
      [
        {
          file: "compose.yaml",
          line: 4,
          message: "services.api.extends.file: <dir>/nope/base.yaml not found",
        },
        {
          file: "compose.yaml",
          line: 8,
          message: 'services.worker.extends: service "ghost" not found in <dir>/compose.yaml',
        },
        {
          file: "compose.yaml",
          line: 12,
          message: 'services.other.extends: service "ghost" not found in <dir>/base.yaml',
        },
      ],
    ],
    [
      "missing-files",
      [
        {
          file: "compose.yaml",
          line: 5,
          message:
            'services.api.build.secrets[1]: secret "undeclared" is not declared in the top-level secrets',
        },
        {
          file: "compose.yaml",
          line: 12,
          message: "secrets.cert.file: <dir>/certs/missing.pem does not exist",
        },
        {
          file: "compose.yaml",
          line: 13,
          message: "secrets.external: a build secret needs file: or environment:",
        },
      ],
    ],
    [
      "env-syntax",
      [
        { file: ".env", line: 2, message: 'unexpected character "-" in variable name "BAD-KEY"' },
        { file: ".env", line: 3, message: "unterminated quoted value for QUOTE" },
      ],
    ],
    [
      "include-conflict",
      [
        {
          file: "compose.yaml",
          line: 4,
          message: "services.app: conflicts with the service imported from <dir>/other/compose.yaml",
        },
      ],
    ],
    [
      "include-cycle",
      [
        {
          file: "sub/compose.yaml",
          line: 2,
          message: "include: cycle: <dir>/compose.yaml -> <dir>/sub/compose.yaml -> <dir>/compose.yaml",
        },
      ],
    ],
    [
      "top-level",
      [
        {
          file: "compose.yaml",
          line: 2,
          message: "top level: additional property 'servcies' is not allowed",
        },
      ],
    ],
    ["not-a-mapping", [{ file: "compose.yaml", line: 1, message: "top level: must be a mapping" }]],
    ["empty", [{ file: "compose.yaml", line: undefined, message: "empty compose file" }]],
    [
      "dockerfile-both",
      [
        {
          file: "compose.yaml",
          line: 5,
          message: "services.api.build: dockerfile and dockerfile_inline cannot be used together",
        },
      ],
    ],
  ])("%s", async (name, expected) => {
    expect(without(await problemsOf(`errors/${name}`))).toEqual(expected);
  });

  test("a YAML syntax error (written at run time: a broken fixture would break the repo's format check)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "dockbuild-yaml-"));
    await writeFile(path.join(dir, "compose.yaml"), "services:\n  api:\n    image: acme/api\n   build: .\n");
    const error = await loadProject({ files: [], envFiles: [], profiles: [], env: {}, cwd: dir })
      .catch((e: unknown) => e)
      .finally(() => rm(dir, { recursive: true, force: true }));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([
      {
        location: { file: path.join(dir, "compose.yaml"), line: 4 },
        message: "invalid YAML: All mapping items must start at the same column",
        hint: "fix the YAML syntax on this line",
      },
    ]);
  });

  test("problems from every file are collected before failing, in file order", async () => {
    expect(without(await problemsOf("errors/many"))).toEqual([
      { file: "compose.yaml", line: 5, message: "services.api.build.target: must be a string" },
      {
        file: "compose.override.yaml",
        line: 4,
        message: "services.api.build: additional property 'bogus' is not allowed",
      },
      {
        file: "compose.override.yaml",
        line: 6,
        message: "services.worker.image: required variable W is missing a value: worker image required",
      },
    ]);
  });

  test("every problem carries a hint", async () => {
    for (const name of [
      "bad-type",
      "unknown-build-key",
      "required-var",
      "extends-cycle",
      "missing-files",
      "env-syntax",
    ]) {
      for (const problem of await problemsOf(`errors/${name}`))
        expect(problem.hint, problem.message).toBeTruthy();
    }
  });

  test("an unknown key's hint names the closest key, else the keys allowed there", async () => {
    expect((await problemsOf("errors/unknown-build-key")).map((problem) => problem.hint)).toEqual([
      'did you mean "context"?',
      'did you mean "build"?',
      'did you mean "groups"?',
    ]);
  });

  test("the error message is file:line: message, ready for an editor or a CI log", async () => {
    const error = await loadProject({
      files: [],
      envFiles: [],
      profiles: [],
      env: {},
      cwd: fixture("errors", "duplicate-key"),
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InputError);
    const input = error as InputError;
    expect(input.exitCode).toBe(2);
    expect(input.message).toBe(
      `${fixture("errors", "duplicate-key", "compose.yaml")}:4: invalid YAML: Map keys must be unique`,
    );
    expect(formatProblem(input.problems[0]!)).toBe(input.message);
  });

  test("a missing --env-file", async () => {
    expect(await problemsOf("search", { envFiles: ["nope.env"] })).toEqual([
      { file: "nope.env", line: undefined, message: "env file not found", hint: "check --env-file" },
    ]);
  });

  test("an include's missing env_file or compose file is reported at the include", async () => {
    expect(without(await problemsOf("errors/include-env-missing"))).toEqual([
      { file: "compose.yaml", line: 5, message: "include.env_file: <dir>/lib/missing.env not found" },
      { file: "compose.yaml", line: 7, message: "include: <dir>/lib/absent.yaml not found" },
    ]);
  });

  test("a missing -f file", async () => {
    expect(without(await problemsOf("search", { files: ["nope.yaml"] }))).toEqual([
      { file: "nope.yaml", line: undefined, message: "compose file not found" },
    ]);
  });

  test("no compose file in the folder or any parent", async () => {
    const error = await loadProject({ files: [], envFiles: [], profiles: [], env: {}, cwd: "/" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([
      {
        message: "no compose file found in / or any parent folder",
        hint: "create compose.yaml, pass -f FILE, or set COMPOSE_FILE",
      },
    ]);
  });

  test.each([
    [
      "a top-level name: that is not a valid project name",
      "names/bad-name",
      {},
      'name: "Bad Name" is not a valid project name',
      1,
    ],
    [
      "a -p that is not a valid project name",
      "names",
      { projectName: "Nope!" },
      '-p: "Nope!" is not a valid project name',
      undefined,
    ],
    [
      "a COMPOSE_PROJECT_NAME that is not valid",
      "names",
      { env: { COMPOSE_PROJECT_NAME: "_x" } },
      'COMPOSE_PROJECT_NAME: "_x" is not a valid project name',
      undefined,
    ],
  ])("%s", async (_name, dir, options, message, line) => {
    const [problem] = await problemsOf(dir, options);
    expect(problem).toMatchObject({ message, line });
  });
});
