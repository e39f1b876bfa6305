import type * as Http from "node:http";
import { createRequire } from "node:module";

// Required, not imported: an ESM import of node:http builds its namespace, whose lazy getters load Node's
// fetch (undici) with http2, tls and zlib, a tenth of a second before dockbuild has done anything.
const http: typeof Http = createRequire(import.meta.url)("node:http");

/**
 * The unix socket of the engine the Docker client would talk to, when that is known without asking the
 * client: `DOCKER_HOST=unix://…`, or the default socket when neither DOCKER_HOST nor a Docker context
 * (`DOCKER_CONTEXT`, config.json's `currentContext`) points elsewhere. `undefined` for tcp, ssh and contexts.
 */
export function localEngineSocket(
  env: Record<string, string | undefined>,
  currentContext: string | undefined,
): string | undefined {
  const host = env.DOCKER_HOST;
  if (host !== undefined && host !== "")
    return host.startsWith("unix://") ? host.slice("unix://".length) : undefined;
  const context = env.DOCKER_CONTEXT || currentContext;
  if (context !== undefined && context !== "" && context !== "default") return undefined;
  return DEFAULT_SOCKET;
}

const DEFAULT_SOCKET = "/var/run/docker.sock";

/** One answer of the engine's HTTP API. */
export interface EngineResponse {
  status: number;
  body: string;
}

// Idle connections are unref'd by the agent, so they never keep the process alive.
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** The engine took the connection but gave no answer in time. */
export class EngineTimeout extends Error {}

/** GET one path of the engine's API over its unix socket; rejects when the engine does not answer in time. */
export function getFromEngine(socket: string, apiPath: string, timeoutMs = 10_000): Promise<EngineResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { socketPath: socket, path: apiPath, agent, headers: { Host: "docker" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    request.setTimeout(timeoutMs, () => {
      reject(new EngineTimeout(`no answer from ${socket} in ${timeoutMs} ms`));
      request.destroy();
    });
    request.on("error", reject);
  });
}
