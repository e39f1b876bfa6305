import { lstatSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { InputError, type Problem } from "../errors.js";
import { describeFailure, errorFailure } from "../util/read-input-file.js";
import { text, toLocation, type YEntry } from "./node.js";
import { loadComposeFileCache } from "./file-cache.js";
import { loadModel } from "./load-model.js";
import { normalizeServices } from "./normalize-service.js";
import {
  composeFilesFromEnv,
  envFilesFromEnv,
  findDefaultFiles,
  isValidProjectName,
  normalizeProjectName,
  parseProfiles,
  type Probe,
} from "./project-options.js";
import { readEnvFiles, type EnvFiles, type Sink } from "./read.js";
import type { LoadProjectOptions, Project } from "./types.js";
import { append } from "../util/append.js";
import { addUnsetUse, mergeUnsetUses, unsetWarnings } from "./unset-variables.js";
import { groupByLine, type ComposeProblem } from "./problem-causes.js";
import { checkConsistency } from "./consistency.js";

/**
 * The one place that reads compose files, `.env` and the environment; everything it calls is pure but
 * for reading files. Throws one `InputError` listing every problem found in every file.
 */
export async function loadProject(options: LoadProjectOptions): Promise<Project> {
  const cwd = path.resolve(options.cwd);
  const processEnv = definedOnly(options.env);
  const home = processEnv.HOME;
  const sink: Sink = { problems: [], unset: new Map(), warnings: [] };
  const explicitDir =
    options.projectDirectory === undefined ? undefined : path.resolve(cwd, options.projectDirectory);
  const explicitFiles = options.files.map((file) => path.resolve(cwd, file));
  // `--env-file` wins over COMPOSE_ENV_FILES, which wins over the project's `.env`.
  const fromEnv = options.envFiles.length === 0 ? envFilesFromEnv(processEnv) : [];
  const envFiles = (options.envFiles.length > 0 ? options.envFiles : fromEnv).map((file) =>
    path.resolve(cwd, file),
  );
  const envHint = fromEnv.length > 0 ? "check COMPOSE_ENV_FILES" : "check --env-file";

  // `.env` can set COMPOSE_FILE, so it is read from where the files will be looked for, then again if the
  // project directory turns out to be elsewhere.
  const readEnv = (dir: string, into: Sink): Promise<EnvFiles> =>
    readEnvFiles(
      envFiles.length > 0 ? envFiles : [path.join(dir, ".env")],
      envFiles.length > 0,
      processEnv,
      into,
      (file, reason) => ({
        location: { file },
        message: reason === "not found" ? "env file not found" : `env file ${reason}`,
        hint: envHint,
      }),
    );
  const firstDir = explicitDir ?? (explicitFiles[0] === undefined ? cwd : path.dirname(explicitFiles[0]));
  const firstSink: Sink = { problems: [], unset: new Map(), warnings: [] };
  let fileEnv = await readEnv(firstDir, firstSink);

  let files = explicitFiles;
  if (files.length === 0) files = composeFilesFromEnv({ ...fileEnv.values, ...processEnv }, cwd);
  if (files.length === 0) {
    const found = findDefaultFiles(cwd, probe);
    sink.warnings.push(...found.warnings);
    if (found.problem) throw new InputError([found.problem]);
    files = found.files;
  }
  const first = files[0];
  if (first === undefined) {
    throw new InputError([
      {
        message: `no compose file found in ${cwd} or any parent folder`,
        hint: "create compose.yaml, pass -f FILE, or set COMPOSE_FILE",
      },
    ]);
  }
  const workingDir = explicitDir ?? path.dirname(first);
  if (workingDir !== firstDir && envFiles.length === 0) {
    fileEnv = await readEnv(workingDir, sink);
  } else {
    append(sink.problems, firstSink.problems);
    mergeUnsetUses(sink.unset, firstSink.unset);
  }
  const environment = { ...fileEnv.values, ...processEnv };

  const cache = await loadComposeFileCache(workingDir);
  const model = await loadModel(
    files,
    { dir: workingDir, env: environment, home, includeStack: [], files: cache },
    sink,
  );
  await cache.save();
  if (model.empty && sink.problems.length === 0) {
    sink.problems.push({
      location: { file: first },
      message: "empty compose file",
      hint: "add a services: section",
    });
  }
  const name = projectName(options.projectName, environment, model.name, workingDir, sink.problems);
  const activeProfiles =
    options.profiles.length > 0 ? [...options.profiles] : parseProfiles(environment.COMPOSE_PROFILES);
  append(sink.problems, checkConsistency(model.services, model.declared, activeProfiles));
  const normalized = normalizeServices(model.services, {
    env: environment,
    secrets: model.secrets,
    home,
    sources: model.sources,
  });
  append(sink.problems, normalized.problems);
  append(sink.warnings, normalized.warnings);
  mergeUnsetUses(sink.unset, normalized.unset);
  const checks = await Promise.all(
    normalized.fileChecks.map(async (check) => [check, await fileProblem(check.path)] as const),
  );
  for (const [check, reason] of checks) {
    if (reason !== undefined) {
      sink.problems.push({
        location: toLocation(check.origin),
        message: `${check.message} ${reason}`,
        hint: check.hint,
      });
    }
  }
  const problems = groupByLine(dedupe(sink.problems));
  if (problems.length > 0) {
    // As Compose does, the unset variables that made a value invalid are warned about before the error.
    for (const problem of problems)
      for (const name of problem.unset ?? [])
        if (problem.location) addUnsetUse(sink.unset, name, problem.location);
    throw new InputError(problems, undefined, [...unsetWarnings(sink.unset), ...sink.warnings]);
  }
  return {
    name,
    workingDir,
    composeFiles: files,
    // The default `.env` counts even when absent: creating or deleting it changes interpolation.
    globalFiles: [...files, ...(envFiles.length > 0 ? envFiles : [path.join(workingDir, ".env")])],
    services: normalized.services,
    activeProfiles,
    environment,
    warnings: [...unsetWarnings(sink.unset), ...sink.warnings],
  };
}

function projectName(
  option: string | undefined,
  env: Record<string, string>,
  nameEntry: YEntry | undefined,
  workingDir: string,
  problems: Problem[],
): string {
  const fromFile = text(nameEntry?.value);
  const [explicit, source] =
    option !== undefined && option !== ""
      ? [option, "-p"]
      : env.COMPOSE_PROJECT_NAME
        ? [env.COMPOSE_PROJECT_NAME, "COMPOSE_PROJECT_NAME"]
        : [fromFile, "name"];
  if (explicit === undefined || explicit === "") {
    const name = normalizeProjectName(path.basename(workingDir));
    if (name === "") {
      problems.push({
        message: `cannot make a project name from the folder ${workingDir}`,
        hint: "set name: or use -p",
      });
    }
    return name;
  }
  if (!isValidProjectName(explicit)) {
    problems.push({
      location: source === "name" && nameEntry ? toLocation(nameEntry.value.origin) : undefined,
      message: `${source}: "${explicit}" is not a valid project name`,
      hint: "use lowercase letters, digits, dashes and underscores, starting with a letter or a digit",
    });
  }
  return explicit;
}

/** A default file name is there when anything is at that path; a path that cannot be looked at is a problem. */
const probe: Probe = (file) => {
  try {
    lstatSync(file);
    return true;
  } catch (error) {
    const failure = errorFailure(error);
    return failure === "not-found" ? false : describeFailure(failure);
  }
};

/** Why a file that must exist is not usable, or undefined when it is a regular file. */
async function fileProblem(file: string): Promise<string | undefined> {
  try {
    const stats = await stat(file);
    return stats.isFile() ? undefined : stats.isDirectory() ? "is a folder" : "is not a regular file";
  } catch (error) {
    const failure = errorFailure(error);
    return failure === "not-found" ? "does not exist" : describeFailure(failure);
  }
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/** Each problem once, grouped by file (in the order files were read) and sorted by line within a file. */
function dedupe(problems: ComposeProblem[]): ComposeProblem[] {
  const seen = new Set<string>();
  const fileOrder = new Map<string | undefined, number>();
  const unique = problems.filter((problem) => {
    const key = `${problem.location?.file}:${problem.location?.line}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (!fileOrder.has(problem.location?.file)) fileOrder.set(problem.location?.file, fileOrder.size);
    return true;
  });
  const rank = (problem: Problem): number => fileOrder.get(problem.location?.file) ?? 0;
  return unique.sort((a, b) => rank(a) - rank(b) || (a.location?.line ?? 0) - (b.location?.line ?? 0));
}
