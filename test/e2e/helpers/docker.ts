import { existsSync } from "node:fs";
import { execa } from "execa";

/** The Docker client tests talk to: `DOCKBUILD_DOCKER`, else Debian's `/usr/bin/docker`, else `docker`. */
export function dockerClient(): string {
  const fromEnv = process.env.DOCKBUILD_DOCKER;
  if (fromEnv) return fromEnv;
  return existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
}

export interface DockerResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/** Run the Docker client and return what it printed, whatever its exit code. */
export async function tryDocker(
  args: readonly string[],
  options: { input?: string } = {},
): Promise<DockerResult> {
  const result = await execa(dockerClient(), args, {
    env: { DOCKER_BUILDKIT: "1" },
    ...(options.input === undefined ? { stdin: "ignore" as const } : { input: options.input }),
    reject: false,
  });
  // A client that could not start at all (ENOENT) has no exit code; say why in place of its stderr.
  const stderr = result.exitCode === undefined ? (result.shortMessage ?? "") : result.stderr;
  return { exitCode: result.exitCode, stdout: result.stdout, stderr };
}

/** Run the Docker client and return its stdout; throws with the command and stderr when it fails. */
export async function docker(args: readonly string[], options: { input?: string } = {}): Promise<string> {
  const result = await tryDocker(args, options);
  if (result.exitCode !== 0) {
    throw new Error(
      `${dockerClient()} ${args.join(" ")} failed (exit ${result.exitCode}):\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** Whether the engine holds an image by this name or id. */
export async function imageExists(ref: string): Promise<boolean> {
  return (await tryDocker(["image", "inspect", "--format", "{{.Id}}", ref])).exitCode === 0;
}

/** The image's id (`sha256:…`); throws when there is no such image. */
export async function imageId(ref: string): Promise<string> {
  return (await docker(["image", "inspect", "--format", "{{.Id}}", ref])).trim();
}

/** Every label of the image (`Config.Labels`); throws when there is no such image. */
export async function imageLabels(ref: string): Promise<Record<string, string>> {
  const text = await docker(["image", "inspect", "--format", "{{json .Config.Labels}}", ref]);
  const parsed: unknown = JSON.parse(text);
  if (parsed === null) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`labels of ${ref} are not a JSON object: ${text}`);
  }
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== "string") throw new Error(`label ${key} of ${ref} is not a string: ${text}`);
    labels[key] = value;
  }
  return labels;
}

/** One label of the image, or undefined when it has no such label. */
export async function imageLabel(ref: string, key: string): Promise<string | undefined> {
  return (await imageLabels(ref))[key];
}

/**
 * The text of a file inside an image. Works for images with no shell at all (FROM scratch): the file is
 * copied out of a container that is created, never started.
 */
export async function readFileInImage(ref: string, file: string): Promise<string> {
  const id = (await docker(["create", ref, "/nonexistent-command"])).trim();
  try {
    const archive = await execa(dockerClient(), ["cp", "--follow-link", `${id}:${file}`, "-"], {
      encoding: "buffer",
      stdin: "ignore",
      reject: false,
    });
    if (archive.exitCode !== 0) {
      throw new Error(`no file ${file} in ${ref}: ${Buffer.from(archive.stderr).toString().trim()}`);
    }
    return firstFileInTar(Buffer.from(archive.stdout)).toString("utf8");
  } finally {
    await tryDocker(["rm", "-f", id]);
  }
}

/** The contents of the first regular file of a tar archive (the form `docker cp … -` writes). */
function firstFileInTar(tar: Buffer): Buffer {
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = parseInt(header.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 0);
    if (type === "0" || type === "\0") return tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error("the archive holds no regular file (a directory was named?)");
}

/** Remove every image whose `repository:tag` starts with `prefix`; returns the names removed. */
export async function removeImages(prefix: string): Promise<string[]> {
  if (!prefix) throw new Error("removeImages needs a prefix; it never removes every image");
  const listing = await docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]);
  const names = [
    ...new Set(listing.split("\n").filter((name) => name.startsWith(prefix) && !name.includes("<none>"))),
  ];
  if (names.length > 0) await tryDocker(["rmi", "--force", ...names]);
  return names;
}
