import { describe, expect, it } from "vitest";
import { normalizeImageRef } from "../../src/util/image-ref.js";

describe("normalizeImageRef", () => {
  it.each([
    ["busybox", "docker.io/library/busybox:latest"],
    ["busybox:1.36", "docker.io/library/busybox:1.36"],
    ["acme/base", "docker.io/acme/base:latest"],
    ["docker.io/acme/base:latest", "docker.io/acme/base:latest"],
    ["acme/base:Dev", "docker.io/acme/base:Dev"],
    ["localhost:5000/acme/base", "localhost:5000/acme/base:latest"],
    ["127.0.0.1:5000/base:1", "127.0.0.1:5000/base:1"],
    ["registry.example.com/team/app:v2", "registry.example.com/team/app:v2"],
    ["docker-image://acme/base:dev", "docker.io/acme/base:dev"],
    ["acme/base@sha256:abc", "docker.io/acme/base@sha256:abc"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeImageRef(input)).toBe(expected);
  });
  it("equal refs compare equal", () => {
    expect(normalizeImageRef("acme/base")).toBe(normalizeImageRef("docker.io/acme/base:latest"));
    expect(normalizeImageRef("acme/base:1")).not.toBe(normalizeImageRef("acme/base:2"));
  });
});
