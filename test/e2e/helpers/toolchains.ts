import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { docker } from "./docker.js";
import { BUSYBOX_IMAGE, REPO_ROOT } from "./paths.js";

const STUBS = path.join(REPO_ROOT, "test", "fixtures", "toolchains");

/** A stand-in toolchain image: the busybox base, stub commands, and for a full toolchain a 40 MB "compiler". */
interface StandIn {
  tags: string[];
  stubs: string[];
  toolchain: boolean;
}

const STAND_INS: StandIn[] = [
  {
    tags: ["dockbuild-fixture/node:22", "dockbuild-fixture/node:latest"],
    stubs: ["npm", "node"],
    toolchain: true,
  },
  { tags: ["dockbuild-fixture/node:22-slim"], stubs: ["npm", "node"], toolchain: false },
  { tags: ["dockbuild-fixture/golang:1.23"], stubs: ["go"], toolchain: true },
  {
    tags: ["dockbuild-fixture/python:3.12", "dockbuild-fixture/python:latest"],
    stubs: ["python", "pip", "apt-get"],
    toolchain: true,
  },
  { tags: ["dockbuild-fixture/python:3.12-slim"], stubs: ["python", "pip", "apt-get"], toolchain: false },
];

/** Size of the file that stands in for a compiler and its libraries in the toolchain images. */
export const TOOLCHAIN_BYTES = 40_000_000;

/**
 * Build the stand-in toolchain images (test/fixtures/toolchains/README.md) on the engine; every step comes from
 * the layer cache after the first run. Returns the tags.
 */
export async function ensureToolchainImages(): Promise<string[]> {
  const context = await mkdtemp(path.join(os.tmpdir(), "dockbuild-toolchains-"));
  try {
    for (const stub of new Set(STAND_INS.flatMap((s) => s.stubs))) {
      await copyFile(path.join(STUBS, stub), path.join(context, stub));
    }
    for (const image of STAND_INS) {
      const dockerfile = [
        `FROM ${BUSYBOX_IMAGE}`,
        ...image.stubs.map((stub) => `COPY ${stub} /usr/local/bin/${stub}`),
        `RUN chmod 0755 ${image.stubs.map((stub) => `/usr/local/bin/${stub}`).join(" ")}`,
        ...(image.toolchain
          ? [
              `RUN mkdir -p /opt/toolchain && head -c ${TOOLCHAIN_BYTES} /dev/zero > /opt/toolchain/compiler.bin`,
            ]
          : []),
        "",
      ].join("\n");
      const file = path.join(context, `${image.tags[0]?.replace(/[/:]/g, "_")}.Dockerfile`);
      await writeFile(file, dockerfile);
      await docker(["build", "--quiet", "--file", file, ...image.tags.flatMap((t) => ["--tag", t]), context]);
    }
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return STAND_INS.flatMap((s) => s.tags);
}
