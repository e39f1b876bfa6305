import { appendFile } from "node:fs/promises";
import { DockbuildError } from "../../errors.js";
import { planBuild } from "../../plan/plan.js";
import {
  formatGithubMatrix,
  formatGitlabPipeline,
  formatJsonMatrix,
  matrixEntries,
} from "../../matrix/format.js";
import { loadWorkspace } from "../workspace.js";
import { selectForCommand } from "../selection.js";
import type { GlobalOptions } from "../global-options.js";

interface MatrixOptions extends GlobalOptions {
  format: "github" | "gitlab" | "json";
  affected?: boolean;
  since?: string;
  githubOutput?: string;
  gitlabImage?: string;
}

/** `dockbuild matrix`: one CI job per distinct build of the selected services; each runs `dockbuild SERVICES…`. */
export async function runMatrixCommand(names: string[], options: MatrixOptions): Promise<void> {
  const workspace = await loadWorkspace(options);
  const selection = await selectForCommand(workspace, names, {
    deps: false,
    affected: options.affected,
    since: options.since,
  });
  const plan = planBuild(workspace.graph, selection);
  const entries = matrixEntries(plan);
  const out =
    options.format === "gitlab"
      ? formatGitlabPipeline(entries, { image: options.gitlabImage })
      : options.format === "json"
        ? formatJsonMatrix(entries)
        : formatGithubMatrix(entries);
  process.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
  if (options.githubOutput !== undefined) {
    const file = process.env.GITHUB_OUTPUT;
    if (!file) {
      throw new DockbuildError(
        "BAD_INPUT",
        "--github-output needs the GITHUB_OUTPUT variable that GitHub Actions sets",
        {
          hint: "run it inside a GitHub Actions step, or drop --github-output and read stdout",
        },
      );
    }
    await appendFile(file, `${options.githubOutput}=${formatGithubMatrix(entries)}\n`);
  }
}
