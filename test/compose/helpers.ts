import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { InputError } from "../../src/errors.js";
import { loadProject } from "../../src/compose/load.js";
import type { LoadProjectOptions, Project, Service } from "../../src/compose/types.js";

const ROOT = fileURLToPath(new URL("../fixtures/compose/", import.meta.url));

/** Absolute path of a file or folder under test/fixtures/compose. */
export function fixture(...parts: string[]): string {
  return path.join(ROOT, ...parts);
}

/** Loads a fixture project from its folder, with an empty environment unless given. */
export function load(name: string, options: Partial<LoadProjectOptions> = {}): Promise<Project> {
  return loadDir(fixture(name), options);
}

/** Loads the project in any folder (a temporary one), with an empty environment unless given. */
export function loadDir(dir: string, options: Partial<LoadProjectOptions> = {}): Promise<Project> {
  return loadProject({ files: [], envFiles: [], profiles: [], env: {}, cwd: dir, ...options });
}

export function service(project: Project, name: string): Service {
  const found = project.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name} in ${project.services.map((s) => s.name).join(", ")}`);
  return found;
}

export interface SeenProblem {
  /** Relative to the fixture folder. */
  file?: string;
  line?: number;
  /** With the fixture folder written as `<dir>`. */
  message: string;
  hint?: string;
}

/** Loads a fixture that must fail, and returns its problems with paths relative to the fixture. */
export function problemsOf(name: string, options: Partial<LoadProjectOptions> = {}): Promise<SeenProblem[]> {
  return problemsIn(fixture(name), options);
}

/** Loads the project in `dir`, which must fail, and returns its problems with paths relative to `dir`. */
export async function problemsIn(
  dir: string,
  options: Partial<LoadProjectOptions> = {},
): Promise<SeenProblem[]> {
  const error = await loadDir(dir, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems.map((problem) => ({
    file: problem.location && path.relative(dir, problem.location.file),
    line: problem.location?.line,
    message: problem.message.replaceAll(dir, "<dir>"),
    hint: problem.hint,
  }));
}
