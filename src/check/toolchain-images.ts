import { normalizeImageRef } from "../util/image-ref.js";

/** A family of images that carry a compiler or a full build toolchain, and what to ship on instead. */
interface ToolchainFamily {
  /** Repository paths, matched at the end of the image's repository (`node` matches `docker.io/library/node`). */
  repositories: string[];
  /** Whether this tag is the full toolchain (not a slim or runtime-only variant). */
  full(tag: string): boolean;
  /** The small image to run on, for this tag's version (and the whole tag, where the version is elsewhere). */
  runtime(version: string, tag: string): string;
}

const notSlim = (tag: string) => !/slim|alpine|distroless|runtime|jre/.test(tag);
const always = () => true;

const FAMILIES: ToolchainFamily[] = [
  { repositories: ["node"], full: notSlim, runtime: (v) => `node:${v || "22"}-slim` },
  { repositories: ["python", "pypy"], full: notSlim, runtime: (v) => `python:${v || "3.12"}-slim` },
  { repositories: ["ruby"], full: notSlim, runtime: (v) => `ruby:${v || "3.3"}-slim` },
  {
    repositories: ["golang", "go"],
    full: always,
    runtime: () => "gcr.io/distroless/static-debian12 (or scratch)",
  },
  {
    repositories: ["rust", "gcc", "buildpack-deps"],
    full: always,
    runtime: () => "gcr.io/distroless/cc-debian12",
  },
  {
    repositories: ["maven", "gradle"],
    full: always,
    // the tag's version is the build tool's; the JDK's is in its suffix (`3.9-eclipse-temurin-21`, `jdk17`)
    runtime: (_v, tag) => `eclipse-temurin:${/(?:temurin|jdk|java)-?(\d+)/.exec(tag)?.[1] ?? "21"}-jre`,
  },
  {
    repositories: ["openjdk", "eclipse-temurin", "amazoncorretto"],
    full: (tag) => !/jre/.test(tag),
    runtime: (v) => `eclipse-temurin:${v.split(".")[0] || "21"}-jre`,
  },
  {
    repositories: ["dotnet/sdk"],
    full: always,
    runtime: (v) => `mcr.microsoft.com/dotnet/aspnet:${v || "8.0"}`,
  },
];

/** What an image reference is, when it is a full toolchain image. */
export interface ToolchainImage {
  ref: string;
  /** The image to ship on instead. */
  runtime: string;
}

/** The toolchain family of an image reference (`golang:1.23`, `node:22`), or undefined for anything else. */
export function toolchainImage(ref: string): ToolchainImage | undefined {
  const normalized = normalizeImageRef(ref);
  const at = normalized.indexOf("@");
  const named = at < 0 ? normalized : normalized.slice(0, at);
  const colon = named.lastIndexOf(":");
  const repository = colon > named.lastIndexOf("/") ? named.slice(0, colon) : named;
  const tag = colon > named.lastIndexOf("/") ? named.slice(colon + 1) : "latest";
  const family = FAMILIES.find((f) =>
    f.repositories.some((r) => repository === r || repository.endsWith(`/${r}`)),
  );
  if (!family || !family.full(tag)) return undefined;
  const version = /^\d+(\.\d+)*/.exec(tag)?.[0] ?? "";
  return { ref, runtime: family.runtime(version, tag) };
}
