import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { dockerClient, imageExists, tryDocker, type DockerResult } from "./docker.js";
import { BUSYBOX_IMAGE, REPO_ROOT } from "./paths.js";

const START_HINT =
  "Start one as root with `setsid dockerd >dockerd.log 2>&1 &` (scripts/setup.sh does it), " +
  "or point DOCKBUILD_DOCKER at a Docker client that reaches one.";

/**
 * Make sure a BuildKit engine answers through the tests' Docker client; throws a message meant for a
 * person otherwise. Returns the engine's version.
 */
export async function assertEngine(): Promise<{
  client: string;
  clientVersion: string;
  serverVersion: string;
}> {
  const client = dockerClient();
  const probe = await tryDocker(["version", "--format", "{{.Client.Version}}|{{.Server.Version}}"]);
  const [clientVersion = "", serverVersion = ""] = probe.stdout.trim().split("|");
  if (probe.exitCode !== 0 || !serverVersion) {
    throw new Error(`no Docker engine answers to ${client}:\n  ${probe.stderr.trim()}\n${START_HINT}`);
  }
  const major = Number.parseInt(clientVersion, 10);
  if (major >= 23 && (await tryDocker(["buildx", "version"])).exitCode !== 0) {
    throw new Error(
      `${client} is Docker ${clientVersion}, which has no buildx component and refuses BuildKit builds ` +
        `("BuildKit is enabled but the buildx component is missing"). ` +
        "Set DOCKBUILD_DOCKER to a client that builds with BuildKit, such as Debian's /usr/bin/docker (docker.io).",
    );
  }
  return { client, clientVersion, serverVersion };
}

/**
 * Build the tests' base image (FROM scratch + the static busybox the example uses) unless the engine has
 * it already. Also puts the example's busybox in place (scripts/prepare-example.mjs).
 */
export async function ensureBusyboxImage(image = BUSYBOX_IMAGE): Promise<"present" | "built"> {
  const prepare = await execa(process.execPath, [path.join(REPO_ROOT, "scripts", "prepare-example.mjs")], {
    stdin: "ignore",
    reject: false,
    all: true,
  });
  if (prepare.exitCode !== 0) throw new Error(`scripts/prepare-example.mjs failed:\n${prepare.all}`);
  if (await imageExists(image)) return "present";

  const built = await buildBusyboxImage(tryDocker, image);
  if (built.exitCode !== 0) throw new Error(`building ${image} failed:\n${built.stderr}`);
  return "built";
}

/**
 * Build the tests' base image — FROM scratch, the example's static busybox and its links — through `run`, a
 * Docker client aimed at any engine (the machine's own, or one a test started).
 */
export async function buildBusyboxImage(
  run: (args: readonly string[]) => Promise<DockerResult>,
  image = BUSYBOX_IMAGE,
): Promise<DockerResult> {
  const context = await mkdtemp(path.join(os.tmpdir(), "dockbuild-busybox-"));
  try {
    await copyFile(
      path.join(REPO_ROOT, "packages", "base", "rootfs", "bin", "busybox"),
      path.join(context, "busybox"),
    );
    await writeFile(
      path.join(context, "Dockerfile"),
      [
        "FROM scratch",
        "COPY busybox /bin/busybox",
        'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
        "RUN mkdir -p /tmp /root /etc && chmod 1777 /tmp",
        'LABEL org.opencontainers.image.title="dockbuild test base (busybox)"',
        'CMD ["/bin/sh"]',
        "",
      ].join("\n"),
    );
    return await run(["build", "--tag", image, context]);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
