// The tools the benchmark times: dockbuild and its peers. Each tool says how to build the whole monorepo as a
// list of commands (argv, cwd, env); all of it is pure except `detectPeers`, which asks the machine.
import { existsSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { capture } from "./measure.mjs";

/**
 * @typedef {object} Step  one command of a tool's build
 * @property {string[]} argv
 * @property {string} cwd
 * @property {Record<string, string | undefined>} env
 */

/**
 * @typedef {object} Tool
 * @property {string} id            short id used in tables and file names
 * @property {string} title         how the table names it
 * @property {boolean} subject      true for dockbuild, false for a peer
 * @property {(dir: string) => Step[]} build       build everything, as the tool's user would (timed)
 * @property {(dir: string) => Step[]} coldUnaided build everything on a truly cold engine, no help
 * @property {string} howBuilt      one line for the README-style notes under the table
 * @property {(dir: string) => Step} [config]  a peer's closest thing to `dockbuild plan` (no build)
 */

/**
 * The environment every tool gets: the bench's own, with the engine address, the Docker config folder (where
 * the buildx plugin is found) and the Docker client first on PATH.
 */
export function toolEnv(context, extra = {}) {
  const path = [dirname(context.docker), process.env.PATH ?? ""].filter(Boolean).join(delimiter);
  /** @type {Record<string, string | undefined>} */
  const env = { ...process.env, PATH: path, ...extra };
  if (context.dockerHost) env.DOCKER_HOST = context.dockerHost;
  if (context.dockerConfig) env.DOCKER_CONFIG = context.dockerConfig;
  // A CI variable could switch a tool's output mode; none of them should see a terminal either way.
  delete env.FORCE_COLOR;
  return env;
}

/**
 * dockbuild, exactly as a user runs it: `dockbuild --project-directory DIR all --progress plain`, plus any
 * `extraArgs` (`--dockbuild-args`, to try a variant such as `-j 8`; the results then say so).
 * @param {{ repoRoot: string, node: string, docker: string, dockerHost?: string, dockerConfig?: string }} context
 * @param {string[]} [extraArgs]
 * @returns {Tool}
 */
export function dockbuildTool(context, extraArgs = []) {
  const bin = join(context.repoRoot, "bin", "dockbuild.js");
  const env = toolEnv(context, { DOCKBUILD_DOCKER: context.docker });
  const build = (dir) => [
    {
      argv: [context.node, bin, "--project-directory", dir, "all", "--progress", "plain", ...extraArgs],
      cwd: context.repoRoot,
      env,
    },
  ];
  return {
    id: "dockbuild",
    title: "dockbuild",
    subject: true,
    build,
    coldUnaided: build,
    howBuilt: `\`dockbuild --project-directory DIR all --progress plain${extraArgs.length ? ` ${extraArgs.join(" ")}` : ""}\` (one command, cold or not)`,
  };
}

/**
 * dockbuild forced onto one backend, for the breakdown of where its time goes on each (not a peer: it gets no
 * ratio). `id` `dockbuild-buildx` or `dockbuild-docker`.
 * @param {"buildx" | "docker"} backend
 * @returns {Tool}
 */
export function dockbuildBackendTool(context, backend, extraArgs = []) {
  const tool = dockbuildTool(context, [...extraArgs, "--backend", backend]);
  return { ...tool, id: `dockbuild-${backend}`, title: `dockbuild (${backend} backend)`, subject: false };
}

/** dockbuild's other commands the bench times: `plan --json`, `--version`, `all --dry-run`. */
export function dockbuildCommand(context, args) {
  return {
    argv: [context.node, join(context.repoRoot, "bin", "dockbuild.js"), ...args],
    cwd: context.repoRoot,
    env: toolEnv(context, { DOCKBUILD_DOCKER: context.docker }),
  };
}

/**
 * docker-compose 1.29 building through the Docker CLI with BuildKit. It cannot order the internal base image
 * before the services built FROM it, so its user runs two commands every time: the base, then everything.
 * @returns {Tool}
 */
export function composeTool(context, composeBinary) {
  const env = toolEnv(context, { COMPOSE_DOCKER_CLI_BUILD: "1", DOCKER_BUILDKIT: "1" });
  const step = (dir, ...args) => ({ argv: [composeBinary, ...args], cwd: dir, env });
  return {
    id: "compose",
    title: "docker-compose 1.29",
    subject: false,
    build: (dir) => [step(dir, "build", "base"), step(dir, "build", "--parallel")],
    coldUnaided: (dir) => [step(dir, "build", "--parallel")],
    config: (dir) => step(dir, "config"),
    howBuilt:
      "`docker-compose build base && docker-compose build --parallel` (COMPOSE_DOCKER_CLI_BUILD=1 DOCKER_BUILDKIT=1)",
  };
}

/**
 * `docker buildx bake` on the compose file; with the `docker` driver images land in the engine (`--load` also
 * covers a container driver). Like compose, it needs the base built by a first command.
 * @returns {Tool}
 */
export function bakeTool(context, dockerWithBuildx) {
  const env = toolEnv(context);
  const step = (dir, ...targets) => ({
    argv: [dockerWithBuildx, "buildx", "bake", "-f", "docker-compose.yml", "--load", ...targets],
    cwd: dir,
    env,
  });
  return {
    id: "bake",
    title: "buildx bake",
    subject: false,
    build: (dir) => [step(dir, "base"), step(dir)],
    coldUnaided: (dir) => [step(dir)],
    config: (dir) => ({
      ...step(dir),
      argv: [dockerWithBuildx, "buildx", "bake", "-f", "docker-compose.yml", "--print"],
    }),
    howBuilt:
      "`docker buildx bake -f docker-compose.yml --load base && docker buildx bake -f docker-compose.yml --load`",
  };
}

/**
 * The peers this machine has, and a note for each one it has not.
 * @returns {Promise<{ peers: Tool[], notes: string[] }>}
 */
export async function detectPeers(context, wanted) {
  /** @type {Tool[]} */
  const peers = [];
  const notes = [];
  if (wanted.includes("compose")) {
    const compose = findOnPath("docker-compose");
    const version = compose ? await capture([compose, "version", "--short"]) : undefined;
    if (compose && version?.exitCode === 0) peers.push(composeTool(context, compose));
    else notes.push("docker-compose: not installed (Debian: `apt-get install docker-compose`), skipped");
  }
  if (wanted.includes("bake")) {
    const candidates = [...new Set([context.docker, findOnPath("docker")].filter(Boolean))];
    let found;
    for (const docker of candidates) {
      const version = await capture([docker, "buildx", "version"], { env: toolEnv(context) });
      if (version.exitCode === 0) {
        found = docker;
        break;
      }
    }
    const where = context.dockerConfig
      ? `DOCKER_CONFIG=${context.dockerConfig}`
      : "the client's own plugin folders";
    if (found) {
      peers.push(bakeTool(context, found));
      notes.push(
        `buildx bake: ${found} buildx, the plugin found through ${where}; dockbuild uses the same one`,
      );
    } else
      notes.push(
        `buildx bake: no Docker client here finds the buildx plugin (${candidates.join(", ")}; looked in ${where}, ` +
          "~/.docker/cli-plugins and the system's cli-plugins folders; give one with --buildx-config DIR), skipped",
      );
  }
  return { peers, notes };
}

export function findOnPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}
