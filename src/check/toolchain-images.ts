import path from "node:path";
import { normalizeImageRef } from "../util/image-ref.js";

/** The image a final stage should be based on instead of a toolchain, and what else would do. */
export interface RuntimeImage {
  /** An image reference to write after FROM. */
  image: string;
  /** Another choice, said in words (`scratch, for a static binary`). */
  alternative?: string;
}

/** A family of images that carry a compiler or a full build toolchain, and what to ship on instead. */
interface ToolchainFamily {
  /** Repository paths, matched at the end of the image's repository (`node` matches `docker.io/library/node`). */
  repositories: string[];
  /** Whether this tag is the full toolchain (not a slim or runtime-only variant). */
  full(tag: string): boolean;
  /** The small image to run on, for this tag's version (and the whole tag, where the version is elsewhere). */
  runtime(version: string, tag: string): RuntimeImage;
}

const notSlim = (tag: string) => !/slim|alpine|distroless|runtime|jre/.test(tag);
const always = () => true;

const GO_RUNTIME: RuntimeImage = {
  image: "gcr.io/distroless/static-debian12",
  alternative: "scratch, for a binary built with CGO_ENABLED=0",
};
const NATIVE_RUNTIME: RuntimeImage = {
  image: "gcr.io/distroless/cc-debian12",
  alternative: "scratch, for a static binary",
};
const node = (v: string): RuntimeImage => ({
  image: `node:${v || "22"}-slim`,
  alternative: `gcr.io/distroless/nodejs${/^\d+/.exec(v)?.[0] ?? "22"}-debian12`,
});
const python = (v: string): RuntimeImage => ({ image: `python:${v || "3.12"}-slim` });
const jre = (v: string): RuntimeImage => ({ image: `eclipse-temurin:${v || "21"}-jre` });
const dotnet = (v: string): RuntimeImage => ({ image: `mcr.microsoft.com/dotnet/aspnet:${v || "8.0"}` });

const FAMILIES: ToolchainFamily[] = [
  { repositories: ["node"], full: notSlim, runtime: node },
  { repositories: ["python", "pypy"], full: notSlim, runtime: python },
  { repositories: ["ruby"], full: notSlim, runtime: (v) => ({ image: `ruby:${v || "3.3"}-slim` }) },
  { repositories: ["golang", "go"], full: always, runtime: () => GO_RUNTIME },
  { repositories: ["rust", "gcc", "buildpack-deps"], full: always, runtime: () => NATIVE_RUNTIME },
  {
    repositories: ["maven", "gradle"],
    full: always,
    // the tag's version is the build tool's; the JDK's is in its suffix (`3.9-eclipse-temurin-21`, `jdk17`)
    runtime: (_v, tag) => jre(/(?:temurin|jdk|java)-?(\d+)/.exec(tag)?.[1] ?? ""),
  },
  {
    repositories: ["openjdk", "eclipse-temurin", "amazoncorretto"],
    full: (tag) => !/jre/.test(tag),
    runtime: (v) => jre(v.split(".")[0] ?? ""),
  },
  { repositories: ["dotnet/sdk"], full: always, runtime: dotnet },
];

/** What an image reference is, when it is a full toolchain image. */
export interface ToolchainImage {
  ref: string;
  /** The image to ship on instead. */
  runtime: RuntimeImage;
}

/** The toolchain family of an image reference (`golang:1.23`, `node:22`), or undefined for anything else. */
export function toolchainImage(ref: string): ToolchainImage | undefined {
  const { repository, tag } = splitRef(ref);
  const family = FAMILIES.find((f) =>
    f.repositories.some((r) => repository === r || repository.endsWith(`/${r}`)),
  );
  if (!family || !family.full(tag)) return undefined;
  const version = /^\d+(\.\d+)*/.exec(tag)?.[0] ?? "";
  return { ref, runtime: family.runtime(version, tag) };
}

/**
 * The image to ship what a stage built on: the runtime of its toolchain image; else, for a compiler run on a
 * plain distribution (`apt-get install gcc` on `debian:12`), that distribution's smallest image; else the
 * runtime the build command's language needs (`go build` → distroless static, `npm run build` → `node:slim`).
 */
export function runtimeFor(baseRef: string | undefined, build: readonly string[] | undefined): RuntimeImage {
  const toolchain = baseRef === undefined ? undefined : toolchainImage(baseRef);
  if (toolchain) return toolchain.runtime;
  const program = path.posix.basename(build?.[0] ?? "");
  if (program === "go") return GO_RUNTIME;
  const distro = baseRef === undefined ? undefined : distroRuntime(baseRef);
  if (["npm", "pnpm", "yarn", "bun", "npx", "tsc", "webpack", "esbuild", "rollup", "vite"].includes(program))
    return node("");
  if (/^python[0-9.]*$/.test(program) || program === "pip" || program === "uv") return python("");
  if (["mvn", "mvnw", "gradle", "gradlew", "javac"].includes(program)) return jre("");
  if (program === "dotnet") return dotnet("");
  return distro ?? NATIVE_RUNTIME;
}

/** A distribution's smallest image of the same release: `debian:12` → `debian:12-slim`, `alpine:3.20` itself. */
function distroRuntime(ref: string): RuntimeImage | undefined {
  const { repository, tag } = splitRef(ref);
  const name = repository.split("/").at(-1);
  const staticToo = { alternative: "scratch, for a static binary" };
  if (name === "alpine" || name === "ubuntu") return { image: `${name}:${tag}`, ...staticToo };
  if (name === "debian") {
    return { image: `debian:${/slim/.test(tag) || tag === "latest" ? tag : `${tag}-slim`}`, ...staticToo };
  }
  return undefined;
}

function splitRef(ref: string): { repository: string; tag: string } {
  const normalized = normalizeImageRef(ref);
  const at = normalized.indexOf("@");
  const named = at < 0 ? normalized : normalized.slice(0, at);
  const colon = named.lastIndexOf(":");
  const tagged = colon > named.lastIndexOf("/");
  return {
    repository: tagged ? named.slice(0, colon) : named,
    tag: tagged ? named.slice(colon + 1) : "latest",
  };
}
