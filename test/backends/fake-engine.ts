import { readFileSync } from "node:fs";
import http from "node:http";
import type { EngineResponse } from "../../src/backends/engine-socket.js";

/** A captured answer of the engine's API (test/fixtures/engine/capture.sh): the body, then the HTTP status. */
export function capturedAnswer(name: string): EngineResponse {
  const text = readFileSync(new URL(`../fixtures/engine/${name}`, import.meta.url), "utf8");
  const lines = text.trimEnd().split("\n");
  return { status: Number(lines.pop()), body: lines.join("\n").trimEnd() };
}

/** An engine's API on a unix socket that answers each path from `answers` (404 otherwise) and records what it was asked. */
export interface FakeEngine {
  answers: Record<string, EngineResponse>;
  asked: string[];
  close(): Promise<void>;
}

export async function startFakeEngine(
  socket: string,
  answers: Record<string, EngineResponse>,
): Promise<FakeEngine> {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    asked.push(req.url ?? "");
    const answer = answers[req.url ?? ""] ?? { status: 404, body: '{"message":"page not found"}' };
    res.writeHead(answer.status, { "Content-Type": "application/json" }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    answers,
    asked,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
