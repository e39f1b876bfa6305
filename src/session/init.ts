import path from "node:path";
import { detectPackages } from "../init/detect-packages.js";
import { planInit, type InitPlan } from "../init/plan-init.js";
import { readRepoSnapshot } from "../init/read-snapshot.js";
import { readExistingCompose, writeInitFiles } from "../init/write-init.js";

/** Where to start a monorepo's Docker files, and what may be replaced. */
export interface InitOptions {
  /** The repository's root. */
  root: string;
  /** The compose file to create or update (default: the one Compose would find, else compose.yaml). */
  composeFile?: string;
  /** Replace existing Dockerfiles, .dockerignore files and compose services. */
  force?: boolean;
  /** Plan the files, write nothing. */
  dryRun?: boolean;
}

/** `dockbuild init`: find the packages, plan the files for those without a Dockerfile, write them. */
export async function initProject(options: InitOptions): Promise<InitPlan> {
  const root = path.resolve(options.root);
  const snapshot = await readRepoSnapshot(root);
  const detected = detectPackages(snapshot, path.basename(root));
  const compose = await readExistingCompose(root, options.composeFile);
  const plan = planInit(snapshot, detected, compose, { force: options.force === true, root });
  if (!options.dryRun) await writeInitFiles(root, plan);
  return plan;
}
