import { describe, expect, it } from "vitest";
import { checkDockerfile } from "./check-helper.js";

// Where the rules must be more exact than a line-by-line linter: they follow variables, users, stages below,
// what the command does, and which stages the target builds. Literal Dockerfiles in, [rule, line] out.

const PIP = "--mount=type=cache,target=/root/.cache/pip";
const req = { "requirements.txt": "flask==3.0.3\n" };

describe("DB002: the cache folder follows the Dockerfile", () => {
  it.each([
    {
      name: "PIP_CACHE_DIR moves pip's cache, and a mount on the moved folder counts",
      dockerfile: `FROM python:3.12-slim\nENV PIP_CACHE_DIR=/cache/pip\nCOPY requirements.txt ./\nRUN --mount=type=cache,target=/cache/pip pip install -r requirements.txt\n`,
      expected: [],
    },
    {
      name: "a mount on /root/.cache/pip after PIP_CACHE_DIR moved the cache does not",
      dockerfile: `FROM python:3.12-slim\nENV PIP_CACHE_DIR=/cache/pip\nCOPY requirements.txt ./\nRUN ${PIP} pip install -r requirements.txt\n`,
      expected: [["DB002", 4]],
    },
    {
      name: "--no-cache-dir turns the mounted cache off",
      dockerfile: `FROM python:3.12-slim\nCOPY requirements.txt ./\nRUN ${PIP} pip install --no-cache-dir -r requirements.txt\n`,
      expected: [["DB002", 3]],
    },
    {
      name: "after USER node, npm's cache is /home/node/.npm",
      dockerfile: `FROM node:22-slim\nUSER node\nWORKDIR /home/node/app\nCOPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/home/node/.npm,uid=1000 npm ci\n`,
      expected: [],
    },
    {
      name: "go build finds the modules a go mod download left in the layer; only the build cache is missing",
      dockerfile: `FROM golang:1.23 AS builder\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\nFROM scratch\nCOPY --from=builder /app /app\n`,
      expected: [
        ["DB002", 3],
        ["DB002", 5],
      ],
    },
  ])("$name", async ({ dockerfile, expected }) => {
    const { rules } = await checkDockerfile(dockerfile, {
      ...req,
      "go.mod": "module x\n",
      "package.json": "{}",
      "package-lock.json": "{}",
    });
    expect(rules).toEqual(expected);
  });

  it("the fix for apt removes docker-clean and locks both folders", async () => {
    const { findings } = await checkDockerfile(
      "FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\n",
    );
    expect(findings.map((f) => f.rule)).toEqual(["DB002"]);
    expect(findings[0]?.fix.split("\n").slice(1)).toEqual([
      "RUN rm -f /etc/apt/apt.conf.d/docker-clean",
      "RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl",
    ]);
  });
});

describe("DB001: only installs that read the manifests, after a copy of the sources", () => {
  it.each([
    {
      name: "a global tool install does not read the project",
      run: "npm install -g typescript@5",
      expected: [],
    },
    { name: "installing named packages does not either", run: "pip install gunicorn==23.0.0", expected: [] },
    {
      name: "pip install -r reads the requirements",
      run: "pip install -r requirements.txt",
      expected: [["DB001", 2]],
    },
  ])("$name", async ({ run, expected }) => {
    const dockerfile = `FROM python:3.12-slim\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.npm ${run}\n`;
    const { rules } = await checkDockerfile(dockerfile, { ...req, ".dockerignore": ".git\n" });
    expect(rules.filter(([rule]) => rule === "DB001")).toEqual(expected);
  });

  it("a copy of the sources in the stage below counts, and a copy of one source file does not", async () => {
    const below = await checkDockerfile(
      `FROM python:3.12-slim AS base\nCOPY src/ ./src/\nFROM base AS deps\nRUN ${PIP} pip install -r requirements.txt\n`,
      { ...req, "src/app.py": "" },
      "deps",
    );
    expect(below.rules).toEqual([["DB001", 2]]);
    const single = await checkDockerfile(
      `FROM python:3.12-slim\nCOPY setup.cfg ./\nCOPY requirements.txt ./\nRUN ${PIP} pip install -r requirements.txt\n`,
      { ...req, "setup.cfg": "" },
    );
    expect(single.rules).toEqual([]);
  });

  it("a bind mount of the whole context on the install counts", async () => {
    const { rules } = await checkDockerfile(
      `FROM python:3.12-slim\nRUN --mount=type=bind,target=/src ${PIP} pip install -r /src/requirements.txt\n`,
      req,
    );
    expect(rules).toEqual([["DB001", 2]]);
  });
});

describe("the stages the target builds, and nothing else", () => {
  const dockerfile = [
    "FROM golang:1.23 AS builder",
    "COPY . .",
    "RUN go build -o /app .",
    "FROM builder AS test",
    "RUN go test ./...",
    "FROM alpine AS debug",
    "FROM scratch AS production",
    "COPY --from=builder /app /app",
    "",
  ].join("\n");
  it("production: the builder's lines are reported, the test and debug stages are not", async () => {
    const { rules } = await checkDockerfile(
      dockerfile,
      { "go.mod": "module x\n", ".dockerignore": ".git\n" },
      "production",
    );
    expect(rules).toEqual([["DB002", 3]]);
  });
  it("target test: the test stage is what the service is, so its go test is not a finding", async () => {
    const { rules } = await checkDockerfile(
      dockerfile,
      { "go.mod": "module x\n", ".dockerignore": ".git\n" },
      "test",
    );
    expect(rules).toEqual([
      ["DB002", 3],
      ["DB003", 4],
      ["DB002", 5],
    ]);
  });
  it("target debug: only its own FROM", async () => {
    const { rules } = await checkDockerfile(dockerfile, { "go.mod": "module x\n" }, "debug");
    expect(rules).toEqual([["DB008", 6]]);
  });
});

describe("DB008 and DB003 read images as the engine does", () => {
  it.each([
    {
      from: "FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      expected: [],
    },
    { from: "FROM docker.io/library/alpine:latest", expected: [["DB008", 1]] },
    { from: "ARG BASE=alpine\nFROM ${BASE}", expected: [["DB008", 2]] },
    { from: "ARG BASE=alpine:3.20\nFROM ${BASE}", expected: [] },
    { from: "FROM localhost:5000/team/base", expected: [["DB008", 1]] },
  ])("$from", async ({ from, expected }) => {
    const { rules } = await checkDockerfile(`${from}\nCMD ["sh"]\n`);
    expect(rules).toEqual(expected);
  });

  it("a slim or alpine variant is a runtime image; the full one on its own is a toolchain", async () => {
    expect((await checkDockerfile('FROM python:3.12-slim\nCMD ["python"]\n')).rules).toEqual([]);
    expect((await checkDockerfile('FROM python:3.12\nCMD ["python"]\n')).rules).toEqual([["DB003", 1]]);
    expect((await checkDockerfile('FROM golang:1.23-alpine\nCMD ["go"]\n')).rules).toEqual([["DB003", 1]]);
  });
});

describe("silencing", () => {
  it("a dockbuild-ignore comment above the line, by id or name, with a note beside it", async () => {
    const { rules } = await checkDockerfile(
      "# dockbuild-ignore DB008\nFROM alpine\n# dockbuild-ignore unpinned-base-image\n# the team's own image, moved by the registry\nCOPY --from=team/tools /bin/tool /tool\n",
    );
    expect(rules).toEqual([]);
  });
  it("the config's check.ignore and check.severity", async () => {
    const files = {
      ".dockbuildrc.yml": "check:\n  ignore: [{ rule: unpinned-base-image, services: [app] }]\n",
    };
    expect((await checkDockerfile("FROM alpine\n", files)).rules).toEqual([]);
    const severe = await checkDockerfile("FROM alpine\n", {
      ".dockbuildrc.yml": "check:\n  severity: { DB008: error }\n",
    });
    expect(severe.findings.map((f) => f.severity)).toEqual(["error"]);
    const off = await checkDockerfile("FROM alpine\n", {
      ".dockbuildrc.yml": "check:\n  severity: { DB008: off }\n",
    });
    expect(off.rules).toEqual([]);
  });
});
