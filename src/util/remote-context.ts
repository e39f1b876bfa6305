// Which build contexts are remote, as Compose and BuildKit decide it:
// - compose-go keeps a context as written (never a path) when it contains `://` or starts with one of
//   https://, http://, git://, ssh://, github.com/, git@ (paths/context.go, `absContextPath`, `isRemoteContext`);
// - BuildKit reads such a context as a git repository when it is `git://`, `ssh://`, `git@host:…`,
//   `github.com/…`, or an http(s) URL whose path ends in `.git` (a `#ref:subdir` fragment allowed); any other
//   http(s) URL is fetched as a tarball or a plain Dockerfile
//   (https://github.com/moby/buildkit/blob/v0.12.5/frontend/dockerui/context.go, util/gitutil/git_ref.go).

/** What a remote build context is. */
export type RemoteContextKind =
  /** a git repository: BuildKit clones it */
  | "git"
  /** an http(s) URL that is not a git repository: a tarball or a Dockerfile, fetched by BuildKit */
  | "url"
  /** another `scheme://` value (`docker-image://`, `oci-layout://`, …) that the builder resolves itself */
  | "other";

const GIT_PREFIXES = ["git://", "ssh://", "git@", "github.com/"];

/** The kind of a remote context, or undefined for a local path. The one place that decides it. */
export function remoteContextKind(value: string): RemoteContextKind | undefined {
  if (GIT_PREFIXES.some((prefix) => value.startsWith(prefix))) return "git";
  if (/^https?:\/\//i.test(value)) return isGitUrl(value) ? "git" : "url";
  if (value.includes("://")) return "other";
  return undefined;
}

/** Whether a build context is fetched by the builder (a URL or a git address) rather than read from disk. */
export function isRemoteContext(value: string): boolean {
  return remoteContextKind(value) !== undefined;
}

/** How the plan explains a remote context: what it is, and that nothing of it can be hashed here. */
export function describeRemoteContext(kind: RemoteContextKind): string {
  const what =
    kind === "git"
      ? "remote git context"
      : kind === "url"
        ? "remote URL context"
        : "builder-resolved context";
  return `${what}: not read or hashed here, always built`;
}

/** An http(s) URL BuildKit clones: its path (before `#ref:subdir` and `?query`) ends in `.git`. */
function isGitUrl(value: string): boolean {
  const withoutFragment = value.split("#", 1)[0] ?? value;
  const pathPart = withoutFragment.split("?", 1)[0] ?? withoutFragment;
  return pathPart.endsWith(".git");
}
