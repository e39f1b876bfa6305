import { readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as z from "zod";

/** What dockbuild reads of the Docker client's own config folder (`DOCKER_CONFIG`, else `~/.docker`). */
export interface DockerClientConfig {
  /** The config folder. */
  dir: string;
  /** `currentContext` of config.json (`docker context use`), when set. */
  currentContext?: string;
  /** `cliPluginsExtraDirs` of config.json: folders searched for CLI plugins before the usual ones. */
  pluginsExtraDirs: string[];
  /** config.json's size and modification time, or "none": part of what engine detection is cached by. */
  stamp: string;
}

// config.json: https://github.com/docker/cli/blob/v20.10.24/cli/config/configfile/file.go (ConfigFile)
const configSchema = z
  .object({
    currentContext: z.string().optional(),
    cliPluginsExtraDirs: z.array(z.string()).optional(),
  })
  .loose();

/** The Docker client's config folder as the client finds it. */
export function dockerConfigDir(env: Record<string, string | undefined>): string {
  return env.DOCKER_CONFIG ? path.resolve(env.DOCKER_CONFIG) : path.join(env.HOME ?? os.homedir(), ".docker");
}

/** Read config.json; a missing or unreadable one is an empty config, as it is to the client. */
export async function readDockerClientConfig(
  env: Record<string, string | undefined>,
): Promise<DockerClientConfig> {
  const dir = dockerConfigDir(env);
  const file = path.join(dir, "config.json");
  const [text, stamp] = await Promise.all([readFile(file, "utf8").catch(() => undefined), fileStamp(file)]);
  const config = { dir, pluginsExtraDirs: [], stamp };
  if (text === undefined) return config;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return config;
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) return config;
  return {
    ...config,
    ...(parsed.data.currentContext ? { currentContext: parsed.data.currentContext } : {}),
    pluginsExtraDirs: parsed.data.cliPluginsExtraDirs ?? [],
  };
}

/** A file's size and modification time as one string, or "none": enough to notice it was replaced. */
export async function fileStamp(file: string): Promise<string> {
  try {
    const s = await stat(file, { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ino}`;
  } catch {
    return "none";
  }
}
