import * as z from "zod";
import { runCommand } from "../exec/index.js";
import { lastLines } from "../util/last-lines.js";
import { parseImageRef } from "../util/image-ref.js";
import type { EngineInfo } from "./types.js";

/** How an image move between an engine and a registry ended. */
export type TransferOutcome =
  /** done; for a push, the digest the registry gave the manifest when the client printed it */
  | { status: "done"; digest?: string }
  /** stopped through the signal */
  | { status: "cancelled"; command: string }
  /** the client failed; its last lines */
  | { status: "failed"; command: string; errorLines: string[] };

/** What a registry holds under a reference. */
export type RegistryLookup =
  /** the manifest exists; its digest when the client printed it (not for a multi-platform index) */
  | { status: "found"; digest?: string }
  /** no such manifest */
  | { status: "missing" }
  /** the registry could not be asked (unreachable, refused, no credentials) */
  | { status: "error"; message: string };

type Client = Pick<EngineInfo, "dockerBinary" | "clientArgs">;
interface Events {
  signal: AbortSignal;
  onLine(line: string): void;
}

/** `docker push` ends with `TAG: digest: sha256:… size: N`: the digest the pushed image is read back by. */
export function parsePushDigest(output: string): string | undefined {
  const found = [...output.matchAll(/digest: (sha256:[0-9a-f]{64})/g)];
  return found.at(-1)?.[1];
}

// `docker manifest inspect -v`: https://github.com/docker/cli/blob/v20.10.24/cli/command/manifest/inspect.go
const verboseManifest = z.object({ Descriptor: z.object({ digest: z.string() }) });

/**
 * The digest in `docker manifest inspect -v REF`: one object for an image manifest; a list of per-platform
 * entries for an index, whose own digest it does not print (undefined: the image is then read by tag).
 */
export function parseManifestDigest(stdout: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const parsed = verboseManifest.safeParse(json);
  return parsed.success && /^sha256:[0-9a-f]{64}$/.test(parsed.data.Descriptor.digest)
    ? parsed.data.Descriptor.digest
    : undefined;
}

/** A registry on this machine (`127.0.0.1:5000`, `localhost:5000`): engines talk to it over plain HTTP. */
export function isLoopbackRegistry(ref: string): boolean {
  const host = parseImageRef(ref).registry.replace(/:\d+$/, "");
  return host === "localhost" || /^127(\.\d{1,3}){3}$/.test(host) || host === "[::1]";
}

/** The argv that asks a registry for a manifest; `--insecure` (plain HTTP) only for one on this machine. */
export function manifestInspectArgs(ref: string): string[] {
  return ["manifest", "inspect", "-v", ...(isLoopbackRegistry(ref) ? ["--insecure"] : []), ref];
}

/** What `docker manifest inspect -v` said: found (with the digest), no such manifest, or no answer. */
export function parseLookup(result: { failed: boolean; stdout: string; stderr: string }): RegistryLookup {
  if (!result.failed) return { status: "found", ...optionalDigest(parseManifestDigest(result.stdout)) };
  if (/no such manifest|manifest unknown/i.test(result.stderr)) return { status: "missing" };
  return { status: "error", message: lastLines(result.stderr, 3).join(" ") || "the client printed nothing" };
}

/** Ask the registry for `ref` through the client (so with its credentials). */
export async function lookupRegistryImage(client: Client, ref: string): Promise<RegistryLookup> {
  const args = [...(client.clientArgs ?? []), ...manifestInspectArgs(ref)];
  return parseLookup(await runCommand(client.dockerBinary, args, { timeoutMs: 60_000 }));
}

/** Tag `source` as `target` in the engine and push it; the digest comes from the client's last lines. */
export async function pushImage(
  client: Client,
  source: string,
  target: string,
  events: Events,
): Promise<TransferOutcome> {
  const pre = client.clientArgs ?? [];
  if (source !== target) {
    const tagged = await step(client, [...pre, "tag", source, target], events);
    if (tagged.status !== "done") return tagged;
  }
  events.onLine(`pushing ${target}`);
  return step(client, [...pre, "push", target], events, (all) => optionalDigest(parsePushDigest(all)));
}

/** Pull `ref` (a registry image by digest) into the engine and give it each of `tags`. */
export async function pullImage(
  client: Client,
  ref: string,
  tags: readonly string[],
  events: Events,
): Promise<TransferOutcome> {
  const pre = client.clientArgs ?? [];
  events.onLine(`pulling ${ref}`);
  const pulled = await step(client, [...pre, "pull", ref], events);
  if (pulled.status !== "done") return pulled;
  for (const tag of tags) {
    const tagged = await step(client, [...pre, "tag", ref, tag], events);
    if (tagged.status !== "done") return tagged;
  }
  return pulled;
}

async function step(
  client: Client,
  args: string[],
  events: Events,
  read: (all: string) => { digest?: string } = () => ({}),
): Promise<TransferOutcome> {
  const result = await runCommand(client.dockerBinary, args, {
    signal: events.signal,
    detached: true,
    onLine: (line) => events.onLine(line),
  });
  const command = [client.dockerBinary, ...args].join(" ");
  if (result.isCanceled || events.signal.aborted) return { status: "cancelled", command };
  if (result.failed) {
    const why =
      result.spawnError !== undefined
        ? [`${client.dockerBinary} could not be started: ${result.spawnError}`]
        : lastLines(result.all);
    return { status: "failed", command, errorLines: why };
  }
  return { status: "done", ...read(result.all) };
}

function optionalDigest(digest: string | undefined): { digest?: string } {
  return digest === undefined ? {} : { digest };
}
