import { describe, expect, it } from "vitest";
import { parseEndpoint } from "../../src/config/endpoint.js";

describe("parseEndpoint", () => {
  it.each([
    ["docker:unix:///var/run/docker.sock", { kind: "docker", host: "unix:///var/run/docker.sock" }],
    ["docker:tcp://10.0.0.5:2376", { kind: "docker", host: "tcp://10.0.0.5:2376" }],
    ["docker:ssh://build@far.example.com", { kind: "docker", host: "ssh://build@far.example.com" }],
    ["docker-context:remote1", { kind: "docker-context", context: "remote1" }],
    ["buildx:k8s-pool", { kind: "buildx", builder: "k8s-pool" }],
  ])("%s", (text, expected) => {
    expect(parseEndpoint(text)).toEqual(expected);
  });
  it.each([
    ["unix:///var/run/docker.sock", /is not an endpoint/],
    ["docker:", /after docker: comes a host address/],
    ["docker:http://x", /after docker: comes a host address/],
    ["docker-context:", /the name of a Docker context/],
    ["buildx:has space", /the name of a buildx builder/],
  ])("%s is refused", (text, message) => {
    const parsed = parseEndpoint(text);
    expect("error" in parsed ? parsed.error : "").toMatch(message);
  });
});
