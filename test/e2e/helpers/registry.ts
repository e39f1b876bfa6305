import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";

/** A registry of this test's own: Debian's `docker-registry` (distribution 2.8) on a free loopback port. */
export interface TestRegistry {
  /** `127.0.0.1:PORT`, the prefix of every image pushed to it; engines reach it without TLS. */
  host: string;
  /** The tags of a repository (`acme/app`), as the registry lists them; [] for an unknown repository. */
  tags(repository: string): Promise<string[]>;
  /** The digest the registry gives a tag's manifest (`Docker-Content-Digest`); undefined when it has none. */
  digest(repository: string, tag: string): Promise<string | undefined>;
  /** Stop the registry and delete its storage. */
  stop(): Promise<void>;
}

const BINARY = "docker-registry";

/** A port nothing listens on right now (the registry binds it a moment later). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start `docker-registry serve CONFIG` with a config of its own (loopback address, storage in a temporary
 * folder) and wait until `/v2/` answers.
 */
export async function startRegistry(): Promise<TestRegistry> {
  const root = await mkdtemp(path.join(os.tmpdir(), "dockbuild-registry-"));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = path.join(root, "config.yml");
  await writeFile(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "http:",
      `  addr: ${host}`,
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${path.join(root, "storage")}`,
      "  delete:",
      "    enabled: true",
      "",
    ].join("\n"),
  );
  const log = path.join(root, "registry.log");
  const child = execa(BINARY, ["serve", config], {
    stdin: "ignore",
    stdout: { file: log, append: true },
    stderr: { file: log, append: true },
    reject: false,
    detached: true,
  });
  let exited = false;
  void child.then(() => {
    exited = true;
  });

  const stop = async () => {
    if (!exited && child.pid !== undefined) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await child;
      clearTimeout(timer);
    }
    await rm(root, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`http://${host}/v2/`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (exited || Date.now() > deadline) {
      const text = await readFile(log, "utf8").catch(() => "");
      await stop();
      throw new Error(
        `${BINARY} did not start on ${host}${exited ? " (it exited)" : ""}:\n${text.slice(-2000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    host,
    async tags(repository) {
      const response = await fetch(`http://${host}/v2/${repository}/tags/list`);
      if (response.status === 404) return [];
      const body: unknown = await response.json();
      if (typeof body !== "object" || body === null || !("tags" in body)) {
        throw new Error(`unexpected tags list for ${repository}: ${JSON.stringify(body)}`);
      }
      const tags = body.tags;
      if (tags === null) return [];
      if (!Array.isArray(tags) || !tags.every((t) => typeof t === "string")) {
        throw new Error(`unexpected tags list for ${repository}: ${JSON.stringify(body)}`);
      }
      return [...tags].sort();
    },
    async digest(repository, tag) {
      const response = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
        method: "HEAD",
        headers: {
          Accept: [
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
          ].join(", "),
        },
      });
      return response.ok ? (response.headers.get("docker-content-digest") ?? undefined) : undefined;
    },
    stop,
  };
}
