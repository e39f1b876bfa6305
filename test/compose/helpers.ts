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
  return loadProject({ files: [], envFiles: [], profiles: [], env: {}, cwd: fixture(name), ...options });
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
export async function problemsOf(
  name: string,
  options: Partial<LoadProjectOptions> = {},
): Promise<SeenProblem[]> {
  const dir = fixture(name);
  const error = await load(name, options).then(
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
