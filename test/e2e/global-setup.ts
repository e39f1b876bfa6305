import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { assertEngine, ensureBusyboxImage } from "./helpers/engine.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Docker client every e2e test and every dockbuild run uses. */
    dockerClient: string;
    /** This run's folder for fixture projects; removed when the run ends. */
    e2eTmpDir: string;
  }
}

/**
 * Runs once before the e2e tests: the engine must answer (engine tests are never skipped, so no engine
 * fails the whole run), the busybox base image must exist, and every test gets the same Docker client.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = await assertEngine();
  const image = await ensureBusyboxImage();
  console.log(
    `e2e: Docker client ${engine.client} (${engine.clientVersion}), engine ${engine.serverVersion}; busybox base image ${image}`,
  );

  const tmp = await mkdtemp(path.join(os.tmpdir(), "dockbuild-e2e-"));
  // Test workers are started after this and inherit the environment; dockbuild children get it too.
  process.env.DOCKBUILD_DOCKER = engine.client;
  process.env.DOCKBUILD_E2E_TMP = tmp;
  // dockbuild keeps its state (engine detection, parsed Dockerfiles) for this run only, as a user's runs do
  process.env.DOCKBUILD_STATE_DIR = path.join(tmp, "state");
  project.provide("dockerClient", engine.client);
  project.provide("e2eTmpDir", tmp);

  return async () => {
    await rm(tmp, { recursive: true, force: true });
  };
}
