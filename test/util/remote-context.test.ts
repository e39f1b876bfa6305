import { describe, expect, it } from "vitest";
import { isRemoteContext, remoteContextKind } from "../../src/util/remote-context.js";

describe("remoteContextKind: what Compose keeps as written and BuildKit fetches itself", () => {
  it.each([
    ["ssh://git@example.com/acme/tools.git", "git"],
    ["ssh://git@example.com:2222/acme/tools.git#main", "git"],
    ["git@github.com:acme/lib.git", "git"],
    ["git@gitlab.example.com:acme/lib.git#v1:docker", "git"],
    ["git://example.com/acme/app", "git"],
    ["github.com/acme/app", "git"],
    ["github.com/acme/app#main:sub/dir", "git"],
    ["https://github.com/acme/app.git", "git"],
    ["https://github.com/acme/app.git#main:docker", "git"],
    ["http://example.com/repo.git?ref=v1", "git"],
    ["https://example.com/context.tar.gz", "url"],
    ["https://github.com/acme/app", "url"],
    ["HTTPS://example.com/Dockerfile", "url"],
    ["docker-image://alpine:3.19", "other"],
    ["oci-layout://./layout", "other"],
  ] as const)("%s is %s", (value, kind) => {
    expect(remoteContextKind(value)).toBe(kind);
    expect(isRemoteContext(value)).toBe(true);
  });

  it.each([
    "/repo/app",
    "./app",
    "app",
    "../github.com/acme",
    "deploy@host:repo.git", // Compose resolves this as a path; only git@ is an address
    "gitlab.com/acme/app", // only github.com/ is read as a repository without a scheme
    "C:\\work\\app",
  ])("%s is a local path", (value) => {
    expect(remoteContextKind(value)).toBeUndefined();
    expect(isRemoteContext(value)).toBe(false);
  });
});
