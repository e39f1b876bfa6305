import { constants } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import type { DockerClientConfig } from "./docker-config.js";

/** Where Linux Docker clients look for CLI plugins besides the config folder and config.json's extra folders. */
const SYSTEM_PLUGIN_DIRS = [
  "/usr/local/lib/docker/cli-plugins",
  "/usr/local/libexec/docker/cli-plugins",
  "/usr/lib/docker/cli-plugins",
  "/usr/libexec/docker/cli-plugins",
];

/**
 * Every place a Docker client may find the buildx plugin, in the order clients up to 25 search them:
 * config.json's `cliPluginsExtraDirs`, the config folder's `cli-plugins`, then the system folders. (Later
 * clients search the config folder first; detection checks that the plugin found is the one the client runs.)
 */
export function buildxPluginCandidates(
  config: Pick<DockerClientConfig, "dir" | "pluginsExtraDirs">,
): string[] {
  const dirs = [...config.pluginsExtraDirs, path.join(config.dir, "cli-plugins"), ...SYSTEM_PLUGIN_DIRS];
  return [...new Set(dirs)].map((dir) => path.join(dir, "docker-buildx"));
}

/** The first candidate that is an executable file. */
export async function findBuildxPlugin(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there: the next one
    }
  }
  return undefined;
}
