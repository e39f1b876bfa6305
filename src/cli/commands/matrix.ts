import { appendFile } from "node:fs/promises";
import { DockbuildError } from "../../errors.js";
import { formatGithubMatrix, formatGitlabPipeline, formatJsonMatrix } from "../../matrix/format.js";
import { loadProject, planMatrix } from "../../session/index.js";
import { affectedSince, globalArgs, globalToProjectOptions, type GlobalOptions } from "../global-options.js";
import { printWarnings } from "../print-warnings.js";

interface MatrixFlags extends GlobalOptions {
  format: "github" | "gitlab" | "json";
  affected?: boolean;
  since?: string;
  githubOutput?: string;
  gitlabImage?: string;
  gitlabCommand?: string;
  gitlabBeforeScript?: string[];
}

/**
 * `dockbuild matrix`: one CI job per distinct build of the selected services; each runs `dockbuild` with the
 * global options given here, `build` and its services.
 */
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
  const { entries, warnings } = await planMatrix(
    loaded,
    {
      services: names,
      ...(since !== undefined ? { affectedSince: since } : {}),
    },
    { globalArgs: globalArgs(flags) },
  );
  printWarnings([...loaded.warnings, ...warnings]);
  const out =
    flags.format === "gitlab"
      ? formatGitlabPipeline(entries, {
          image: flags.gitlabImage,
          command: flags.gitlabCommand,
          beforeScript: flags.gitlabBeforeScript,
        })
      : flags.format === "json"
        ? formatJsonMatrix(entries)
        : formatGithubMatrix(entries);
  process.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
  if (flags.githubOutput !== undefined && process.env.GITHUB_OUTPUT) {
    await appendFile(process.env.GITHUB_OUTPUT, `${flags.githubOutput}=${formatGithubMatrix(entries)}\n`);
  }
}
