import { describe, expect, it } from "vitest";
import { analyzeDockerfile } from "../../src/dockerfile/index.js";
import { checkDockerfile } from "./check-helper.js";

// Every rule's fix is built from the Dockerfile as written: its lines are valid Dockerfile lines (no trailing
// comment after FROM, no placeholder instruction), they keep what the line had (flags, AS names, the rest of an
// && chain), and a message quotes the instruction as written.

async function fixOf(rule: string, dockerfile: string, files: Record<string, string> = {}, target?: string) {
  const { findings } = await checkDockerfile(dockerfile, files, target);
  const found = findings.filter((f) => f.rule === rule);
  expect(found).toHaveLength(1);
  return { message: found[0]?.message ?? "", fix: found[0]?.fix.split("\n") ?? [] };
}

/** The fix's code lines analysed after a FROM, as the project's Dockerfile analysis reads them. */
function expectValidLines(code: string[]) {
  const text = /^FROM /i.test(code[0] ?? "") ? code.join("\n") : ["FROM scratch AS base", ...code].join("\n");
  expect(analyzeDockerfile(text, "fix").errors).toEqual([]);
  for (const line of code.filter((l) => /^FROM /i.test(l))) {
    expect(line).toMatch(/^FROM (--\S+ )*\S+( AS [a-z][a-z0-9-_.]*)?$/i);
  }
}

const NPM = "--mount=type=cache,target=/root/.npm";
const node = { "package.json": "{}", "package-lock.json": "{}", ".dockerignore": ".git\n" };

describe("fixes and messages from the Dockerfile as written", () => {
  it("DB001 keeps the copy's --chown and the rest of the install's && chain", async () => {
    const { message, fix } = await fixOf(
      "DB001",
      `FROM node:22-slim\nWORKDIR /app\nCOPY --chown=node:node . .\nRUN ${NPM} npm ci && npm run build\n`,
      node,
    );
    expect(message).toMatch(/^`COPY --chown=node:node \. \.` comes before `npm ci` \(line 4\)/);
    expect(fix.slice(1)).toEqual([
      "COPY --chown=node:node package.json package-lock.json ./",
      `RUN ${NPM} npm ci && npm run build`,
      "COPY --chown=node:node . .",
    ]);
    expectValidLines(fix.slice(1));
  });

  it("DB001: a bind mount of the whole context becomes bind mounts of the dependency files", async () => {
    const files = { "requirements.txt": "flask\n" };
    const dockerfile =
      "FROM python:3.12-slim\nRUN --mount=type=bind,target=/src --mount=type=cache,target=/root/.cache/pip pip install -r /src/requirements.txt\n";
    const { fix } = await fixOf("DB001", dockerfile, files);
    expect(fix).toEqual([
      "mount only the dependency files:",
      "RUN --mount=type=bind,source=requirements.txt,target=/src/requirements.txt --mount=type=cache,target=/root/.cache/pip pip install -r /src/requirements.txt",
    ]);
    const fixed = dockerfile.replace(/^RUN .*$/m, fix[1] ?? "");
    expect((await checkDockerfile(fixed, files)).rules).toEqual([]);
  });

  it("DB004 moves the test command, as written, into a test stage built on a named stage", async () => {
    const { message, fix } = await fixOf(
      "DB004",
      'FROM golang:1.23\nRUN go build -o /app . && go test -run "Unit|Fast" ./...\n',
    );
    expect(message).toContain('`go test -run "Unit|Fast" ./...` runs in the stage the image is built from');
    expect(fix.slice(1)).toEqual([
      "FROM golang:1.23 AS production",
      "# … the rest of this stage, without the tests",
      "FROM production AS test",
      'RUN go test -run "Unit|Fast" ./...',
    ]);
    expectValidLines(fix.slice(1));
  });

  it("DB004 points the target's copy at the stage below the test stage", async () => {
    const { fix } = await fixOf(
      "DB004",
      "FROM node:22 AS builder\nRUN npm run build\nFROM builder AS test\nRUN true\nFROM node:22-slim AS production\nCOPY --from=test --chown=node /app/dist ./dist\n",
      {},
      "production",
    );
    expect(fix.slice(1)).toEqual(["COPY --from=builder --chown=node /app/dist ./dist"]);
  });

  it("DB005 names the stage on its own FROM line, no comment after it", async () => {
    const { fix } = await fixOf(
      "DB005",
      "FROM --platform=$BUILDPLATFORM alpine:3.20\nFROM scratch\nCOPY --from=0 /etc/alpine-release /release\n",
    );
    expect(fix).toEqual([
      "name stage 0 (line 1) and copy from the name:",
      "FROM --platform=$BUILDPLATFORM alpine:3.20 AS stage-0",
      "COPY --from=stage-0 /etc/alpine-release /release",
    ]);
    expectValidLines(fix.slice(1));
  });

  it("DB007 replaces the flag in the line as written; a Bundler flag and its values become a config line", async () => {
    const npm = await fixOf(
      "DB007",
      `FROM node:22-slim\nCOPY package.json package-lock.json ./\nRUN ${NPM} npm ci --only=production && npm cache verify\n`,
      node,
    );
    expect(npm.fix.slice(1)).toEqual([`RUN ${NPM} npm ci --omit=dev && npm cache verify`]);
    const bundle = await fixOf(
      "DB007",
      "FROM ruby:3.3-slim\nCOPY Gemfile Gemfile.lock ./\nRUN --mount=type=cache,target=/usr/local/bundle/cache bundle install --without development test --jobs 4\n",
    );
    expect(bundle.fix.slice(1)).toEqual([
      "RUN bundle config set --local without 'development test'",
      "RUN --mount=type=cache,target=/usr/local/bundle/cache bundle install --jobs 4",
    ]);
    expectValidLines(bundle.fix.slice(1));
  });

  it("DB008 pins the image in the line as written, its AS name kept", async () => {
    const { fix } = await fixOf("DB008", "FROM alpine AS base\nRUN echo hi > /hi\n");
    expect(fix.slice(1)).toEqual(["FROM alpine:<version> AS base"]);
    const arg = await fixOf("DB008", "ARG BASE=alpine\nFROM ${BASE}\n");
    expect(arg.message).toMatch(/^FROM \$\{BASE\} \(alpine\) uses alpine with no tag/);
    expect(arg.fix).toEqual([
      "pin a version (or a digest, alpine@sha256:<digest>, for reproducible builds), where ${BASE} gets its value (the ARG's default or the build arg): alpine:<version>",
    ]);
  });

  it("DB008 pins an image in COPY --from, the rest of the line kept", async () => {
    const { fix } = await fixOf(
      "DB008",
      "FROM scratch\nCOPY --from=busybox --chmod=755 /bin/busybox /bin/\n",
    );
    expect(fix.slice(1)).toEqual(["COPY --from=busybox:<version> --chmod=755 /bin/busybox /bin/"]);
  });

  it("DB010 locks the mount as written, its other options kept", async () => {
    const { fix } = await fixOf(
      "DB010",
      "FROM debian:12-slim\nRUN --mount=type=cache,target=/var/cache/apt,uid=0,sharing=shared --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get install -y curl\n",
    );
    expect(fix).toEqual([
      "add sharing=locked to the mount, so that builds take turns (line 2):",
      "RUN --mount=type=cache,target=/var/cache/apt,uid=0,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get install -y curl",
    ]);
  });

  it("DB009 suggests the small image of the builder's toolchain and keeps the target's name", async () => {
    const sizes = new Map([["app", { finalBytes: 900e6, builder: { stage: "build", bytes: 1000e6 } }]]);
    const { findings } = await checkDockerfile(
      "FROM node:22 AS build\nRUN npm run build\nFROM node:22-slim AS production\nCOPY --from=build /app/dist /app/dist\n",
      {},
      "production",
      sizes,
    );
    const fix = findings.find((f) => f.rule === "DB009")?.fix.split("\n") ?? [];
    expect(fix.slice(1)).toEqual([
      "FROM node:22-slim AS production",
      "COPY --from=build <build-output> /app/",
    ]);
    expectValidLines(fix.slice(1));
  });
});
