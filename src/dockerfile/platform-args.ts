/** The build and target platforms a Dockerfile is analyzed for, as `os/arch[/variant]`. */
export interface PlatformChoice {
  build?: string;
  target?: string;
}

/** The ARGs BuildKit defines in the global scope without a declaration, usable in `FROM`. */
export const AUTOMATIC_PLATFORM_ARGS = [
  "TARGETPLATFORM",
  "TARGETOS",
  "TARGETARCH",
  "TARGETVARIANT",
  "BUILDPLATFORM",
  "BUILDOS",
  "BUILDARCH",
  "BUILDVARIANT",
] as const;

const NODE_TO_GO_ARCH: Record<string, string> = {
  x64: "amd64",
  ia32: "386",
  arm64: "arm64",
  arm: "arm",
  ppc64: "ppc64le",
  s390x: "s390x",
  riscv64: "riscv64",
  loong64: "loong64",
};

/** The engine's default platform when none is asked for: this machine's, as BuildKit names it. */
export function hostPlatform(arch: string = process.arch): string {
  return `linux/${NODE_TO_GO_ARCH[arch] ?? "amd64"}`;
}

/**
 * The automatic platform ARGs for a build, as BuildKit sets them: the target defaults to the build platform.
 * See https://github.com/moby/buildkit/blob/v0.12.5/frontend/dockerfile/dockerfile2llb/convert.go (defaultArgs)
 */
export function platformArgs(platform: PlatformChoice = {}): Map<string, string> {
  const build = normalizePlatform(platform.build ?? hostPlatform());
  const target = platform.target === undefined ? build : normalizePlatform(platform.target);
  return new Map([
    ["BUILDPLATFORM", formatPlatform(build)],
    ["BUILDOS", build.os],
    ["BUILDARCH", build.arch],
    ["BUILDVARIANT", build.variant],
    ["TARGETPLATFORM", formatPlatform(target)],
    ["TARGETOS", target.os],
    ["TARGETARCH", target.arch],
    ["TARGETVARIANT", target.variant],
  ]);
}

interface Platform {
  os: string;
  arch: string;
  variant: string;
}

/** containerd's normalization: `aarch64` is `arm64`, `arm64/v8` is `arm64`, a bare `arm` is `arm/v7`. */
function normalizePlatform(text: string): Platform {
  const [os = "linux", rawArch = "amd64", rawVariant = ""] = text.trim().toLowerCase().split("/");
  let arch = rawArch;
  let variant = rawVariant;
  if (arch === "x86_64" || arch === "x86-64") arch = "amd64";
  if (arch === "i386") arch = "386";
  if (arch === "aarch64") arch = "arm64";
  if (arch === "armhf") [arch, variant] = ["arm", "v7"];
  if (arch === "armel") [arch, variant] = ["arm", "v6"];
  if (arch === "arm64" && variant === "v8") variant = "";
  if (arch === "arm" && variant === "") variant = "v7";
  if (arch === "amd64" && variant === "v1") variant = "";
  return { os, arch, variant };
}

function formatPlatform(p: Platform): string {
  return [p.os, p.arch, p.variant].filter((part) => part !== "").join("/");
}
