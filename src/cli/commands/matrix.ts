import { appendFile } from "node:fs/promises";
import { DockbuildError } from "../../errors.js";
import {
  formatGithubMatrix,
  formatGitlabPipeline,
  formatJsonMatrix,
  matrixEntries,
} from "../../matrix/format.js";
import { loadProject, planBuild } from "../../session/index.js";
import { affectedSince, globalToProjectOptions, type GlobalOptions } from "../global-options.js";

interface MatrixFlags extends GlobalOptions {
  format: "github" | "gitlab" | "json";
  affected?: boolean;
  since?: string;
  githubOutput?: string;
  gitlabImage?: string;
}

/** `dockbuild matrix`: one CI job per distinct build of the selected services; each runs `dockbuild SERVICES…`. */
export async function runMatrixCommand(names: string[], flags: MatrixFlags): Promise<void> {
  const since = affectedSince(flags);
  if (flags.githubOutput !== undefined && !process.env.GITHUB_OUTPUT) {
    throw new DockbuildError(
      "BAD_INPUT",
      "--github-output needs the GITHUB_OUTPUT variable that GitHub Actions sets",
      { hint: "run it inside a GitHub Actions step, or drop --github-output and read stdout" },
    );
  }
  const loaded = await loadProject(globalToProjectOptions(flags));
  const plan = await planBuild(loaded, {
    services: names,
    noDeps: true,
    ...(since !== undefined ? { affectedSince: since } : {}),
  });
  const entries = matrixEntries(plan);
  const out =
    flags.format === "gitlab"
      ? formatGitlabPipeline(entries, { image: flags.gitlabImage })
      : flags.format === "json"
        ? formatJsonMatrix(entries)
        : formatGithubMatrix(entries);
  process.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
  if (flags.githubOutput !== undefined && process.env.GITHUB_OUTPUT) {
    await appendFile(process.env.GITHUB_OUTPUT, `${flags.githubOutput}=${formatGithubMatrix(entries)}\n`);
  }
}
