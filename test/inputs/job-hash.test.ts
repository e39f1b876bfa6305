import { describe, expect, it } from "vitest";
import { computeJobHash, INPUT_HASH_LABEL, type JobHashInput } from "../../src/inputs/job-hash.js";
import type { BuildJob } from "../../src/plan/types.js";
import { buildJob } from "./helpers.js";

const baseJob = buildJob("api", "/repo/api", {
  target: "production",
  args: { NODE_ENV: "production", VERSION: "1" },
  tags: ["acme/api:dev", "acme/api:latest"],
  labels: { team: "core" },
  platforms: ["linux/amd64"],
  namedContexts: {
    shared: { kind: "path", path: "/repo/shared" },
    base: { kind: "image", ref: "acme/base", service: "base" },
  },
  secrets: [{ id: "npm", file: "/home/me/.npmrc" }],
  dependsOn: ["base"],
});

const baseInput: JobHashInput = {
  job: baseJob,
  contextHash: "c1",
  dockerfileText: "FROM acme/base\nCOPY . /\n",
  upstreamHashes: ["u1"],
  externalImageIds: { "docker.io/library/alpine:3.19": "sha256:aaa" },
  namedContextHashes: { shared: "s1", base: "u1" },
};

const withJob = (changes: Partial<BuildJob>): JobHashInput => ({
  ...baseInput,
  job: { ...baseJob, ...changes },
});

describe("computeJobHash", () => {
  const before = computeJobHash(baseInput);

  it("is a stable sha256", () => {
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(computeJobHash(structuredClone(baseInput))).toBe(before);
  });

  it.each<{ name: string; input: JobHashInput }>([
    { name: "a build arg's value", input: withJob({ args: { ...baseJob.args, VERSION: "2" } }) },
    { name: "a new build arg", input: withJob({ args: { ...baseJob.args, EXTRA: "" } }) },
    { name: "the target", input: withJob({ target: "test" }) },
    { name: "no target", input: withJob({ target: undefined }) },
    { name: "the Dockerfile text", input: { ...baseInput, dockerfileText: "FROM acme/base\n" } },
    { name: "the context", input: { ...baseInput, contextHash: "c2" } },
    { name: "an upstream hash", input: { ...baseInput, upstreamHashes: ["u2"] } },
    {
      name: "an external image id",
      input: { ...baseInput, externalImageIds: { "docker.io/library/alpine:3.19": "sha256:bbb" } },
    },
    { name: "a label", input: withJob({ labels: { team: "edge" } }) },
    { name: "a platform", input: withJob({ platforms: ["linux/amd64", "linux/arm64"] }) },
    {
      name: "a named context's content",
      input: { ...baseInput, namedContextHashes: { shared: "s2", base: "u1" } },
    },
    { name: "a secret id", input: withJob({ secrets: [{ id: "npm2", file: "/home/me/.npmrc" }] }) },
    { name: "ssh", input: withJob({ ssh: ["default"] }) },
    { name: "the network", input: withJob({ network: "host" }) },
    { name: "extra hosts", input: withJob({ extraHosts: ["db:10.0.0.1"] }) },
    { name: "shm size", input: withJob({ shmSize: "1g" }) },
    { name: "ulimits", input: withJob({ ulimits: { nofile: { soft: 1, hard: 2 } } }) },
    { name: "privileged", input: withJob({ privileged: true }) },
    { name: "entitlements", input: withJob({ entitlements: ["network.host"] }) },
  ])("changes with $name", ({ input }) => {
    expect(computeJobHash(input)).not.toBe(before);
  });

  it.each<{ name: string; input: JobHashInput }>([
    { name: "tags renamed", input: withJob({ tags: ["acme/api:renamed"] }) },
    { name: "tag order", input: withJob({ tags: ["acme/api:latest", "acme/api:dev"] }) },
    { name: "arg order", input: withJob({ args: { VERSION: "1", NODE_ENV: "production" } }) },
    {
      name: "the job's id and services",
      input: withJob({ id: { service: "api2" }, key: "api2", services: ["api2", "api3"] }),
    },
    {
      name: "a secret's source (values never enter)",
      input: withJob({ secrets: [{ id: "npm", environment: "NPM" }] }),
    },
    { name: "cache settings", input: withJob({ cacheFrom: ["type=local,src=x"], cacheTo: ["type=inline"] }) },
    {
      name: "the input-hash label itself",
      input: withJob({ labels: { team: "core", [INPUT_HASH_LABEL]: "old" } }),
    },
    {
      name: "the named context's path",
      input: withJob({
        namedContexts: { ...baseJob.namedContexts, shared: { kind: "path", path: "/elsewhere" } },
      }),
    },
  ])("does not change with $name", ({ input }) => {
    expect(computeJobHash(input)).toBe(before);
  });
});
