// One fuzz input ("case"): a project's files, the flags and environment to run it with, and the commands
// to run, generated from (seed, index) alone. Kinds say which file is the subject, modes how it was made.
import { genComposeProject } from "./gen-compose.mjs";
import { genConfig } from "./gen-config.mjs";
import { genDockerfile } from "./gen-dockerfile.mjs";
import { genEnvFile } from "./gen-env.mjs";
import { HOSTILE } from "./hostile.mjs";
import { mutate } from "./mutate.mjs";
import { createRandom, hashSeed } from "./random.mjs";

/** Which file a case is about (`dockerfile` also stands for its `.dockerignore`). */
export const KINDS = ["compose", "dockerfile", "env", "config"];
/** How it was made: from the grammar, by mutating a generated file, or from a class of blow-up. */
export const MODES = ["grammar", "mutation", "hostile"];

/**
 * @typedef {object} Case
 * @property {string} id           `<seed>-<index>`
 * @property {number} seed
 * @property {number} index
 * @property {string} kind         one of KINDS
 * @property {string} mode         one of MODES
 * @property {string} label        what it is, in a few words
 * @property {import("./gen-compose.mjs").CaseFile[]} files   paths relative to the case's folder; the CLI runs in `repo/`
 * @property {string[]} args       global flags (`-f`, `--env-file`, `--profile`, `-c`)
 * @property {Record<string, string>} env   added to the CLI's environment
 * @property {string[][]} commands each a command line after the global flags (`["plan", "--json"]`)
 */

/** @typedef {{ maxBytes: number, maxServices: number }} Limits */
export const FULL_LIMITS = { maxBytes: 16 * 1024 * 1024, maxServices: 20_000 };
export const SMALL_LIMITS = { maxBytes: 512 * 1024, maxServices: 2_000 };

/** The case at `index` of the run with `seed`: the same on every machine. */
export function generateCase(seed, index, limits = FULL_LIMITS) {
  const random = createRandom(hashSeed(`${seed}:${index}`));
  const kind = random.weighted([
    [40, "compose"],
    [30, "dockerfile"],
    [15, "env"],
    [15, "config"],
  ]);
  const mode = random.weighted([
    [40, "grammar"],
    [35, "mutation"],
    [25, "hostile"],
  ]);
  const base = { id: `${seed}-${index}`, seed, index, kind, mode };
  const commands = [["plan", "--json"]];
  if (random.chance(0.3)) commands.push(["ls"]);
  if (random.chance(0.25)) commands.push(["check"]);
  if (random.chance(0.25)) commands.push(["matrix"]);

  if (mode === "hostile") {
    const generators = HOSTILE[kind];
    const name = random.pick(Object.keys(generators));
    const made = generators[name](random.fork("hostile"), limits);
    return {
      ...base,
      label: `${name}: ${made.label}`,
      files: made.files,
      args: made.args ?? [],
      env: made.env ?? {},
      commands: made.commands ?? commands,
    };
  }

  const project = genComposeProject(random.fork("project"));
  const files = project.files;
  const subject = subjectFile(random, kind, project);
  let label = `${project.services.length} services, ${kind} at ${subject.path.replace(/^repo\//, "")}`;
  if (mode === "mutation") {
    const mutated = mutate(
      random.fork("mutate"),
      typeof subject.content === "string" ? subject.content : "",
      limits.maxBytes,
    );
    subject.content = mutated.content;
    label = `${mutated.ops.join("+")} of ${subject.path.replace(/^repo\//, "")}`;
  }
  return { ...base, label, files, args: project.args, env: project.env, commands };
}

/** The file of the case's kind in a generated project, added when the project has none. */
function subjectFile(random, kind, project) {
  const { files } = project;
  const find = (test) => files.filter((f) => typeof f.content === "string" && test(f.path));
  if (kind === "compose") return files.find((f) => f.path === project.composeFile);
  if (kind === "dockerfile" && random.chance(0.25)) {
    // the Dockerfile's companion: its context's .dockerignore
    const found = find((p) => p.endsWith(".dockerignore"));
    if (found.length > 0) return random.pick(found);
    const added = { path: "repo/.dockerignore", content: "node_modules\n*.log\n!keep.log\n**/tmp\n" };
    files.push(added);
    return added;
  }
  if (kind === "dockerfile") {
    const found = find((p) => /Dockerfile[^/]*$/.test(p));
    if (found.length > 0) return random.pick(found);
    const added = { path: "repo/Dockerfile", content: genDockerfile(random).text };
    files.push(added);
    return added;
  }
  if (kind === "env") {
    const found = find((p) => p.endsWith(".env"));
    if (found.length > 0) return random.pick(found);
    const added = { path: "repo/.env", content: genEnvFile(random, { services: project.services }) };
    files.push(added);
    return added;
  }
  const config = genConfig(random, {
    services: project.services,
    composeFiles: [project.composeFile.replace(/^repo\//, "")],
  });
  const path = `repo/${config.place}`;
  const existing = files.findIndex((f) => f.path === path);
  if (existing >= 0) files.splice(existing, 1);
  const added = { path, content: config.text };
  files.push(added);
  return added;
}
