import { runCommand } from "../exec/index.js";

/**
 * How long an engine that runs takes, at most, to say its version: a healthy one answers in milliseconds
 * even on a loaded machine, so silence past this means stopped (SIGSTOP), hung, or not an engine at all.
 */
export const ENGINE_ANSWER_MS = 1_500;

/** Where the client sends its requests when neither DOCKER_HOST nor a context says otherwise. */
const DEFAULT_ENDPOINT = "unix:///var/run/docker.sock";

/** Whether the engine answers now; when not, where it was asked and what happened. */
export type EngineHealth =
  /** the engine said its version */
  | { answers: true }
  /** nothing came back in time, or the client could not connect */
  | { answers: false; endpoint: string; why: string };

/**
 * The engine's address as the client resolves it, to name it in messages: DOCKER_HOST, else the current
 * context's endpoint (`docker context inspect` reads only the client's own files), else the default socket.
 */
export async function readEngineEndpoint(
  dockerBinary: string,
  env: Record<string, string | undefined>,
): Promise<string> {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  const inspect = await runCommand(
    dockerBinary,
    ["context", "inspect", "--format", "{{.Endpoints.docker.Host}}"],
    { env, timeoutMs: ENGINE_ANSWER_MS },
  );
  const host = inspect.failed ? "" : inspect.stdout.trim();
  return host || DEFAULT_ENDPOINT;
}

/**
 * Ask the engine for its version, for at most ENGINE_ANSWER_MS: is it still there? `clientArgs` point the
 * client at another engine (`-H unix:///…`, `--context NAME`), a builder's.
 */
export async function checkEngineHealth(
  dockerBinary: string,
  env: Record<string, string | undefined>,
  clientArgs: readonly string[] = [],
): Promise<EngineHealth> {
  const version = await runCommand(
    dockerBinary,
    [...clientArgs, "version", "--format", "{{.Server.Version}}"],
    {
      env,
      timeoutMs: ENGINE_ANSWER_MS,
    },
  );
  if (!version.failed && version.stdout.trim() !== "") return { answers: true };
  const host = clientArgs[0] === "-H" ? clientArgs[1] : undefined;
  return {
    answers: false,
    endpoint: host ?? (await readEngineEndpoint(dockerBinary, env)),
    why: version.timedOut
      ? `no answer within ${ENGINE_ANSWER_MS / 1000} s (stopped or hung)`
      : (lastLine(version.stderr) ?? version.spawnError ?? "no version"),
  };
}

function lastLine(text: string): string | undefined {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1);
}
