import { describe, expect, it } from "vitest";
import { runBin, writeProject } from "../helpers/run-bin.js";
import { sarifErrors } from "../helpers/sarif-schema.js";

// Each rule through the built CLI, in the three formats: a Dockerfile that breaks it (that rule alone is
// reported, at the line given) and the same Dockerfile fixed (nothing is reported, even with --strict).

interface RuleCase {
  rule: string;
  /** The line the finding is at. */
  line: number;
  trigger: Record<string, string>;
  clean: Record<string, string>;
  /** Text the finding's fix must hold. */
  fix: string;
}

const compose = (target?: string) =>
  `services:\n  app:\n    image: rulecheck/app:dev\n    build:\n      context: .\n${target ? `      target: ${target}\n` : ""}`;
const node = {
  "package.json": '{ "name": "app", "scripts": { "start": "node server.js" } }\n',
  "package-lock.json": '{ "lockfileVersion": 3 }\n',
  "server.js": "console.log('app');\n",
  ".dockerignore": "node_modules\n",
};
const NPM = "--mount=type=cache,target=/root/.npm";
const GO = "--mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build";
const goFiles = {
  "go.mod": "module example.com/app\n\ngo 1.23\n",
  "main.go": "package main\n\nfunc main() {}\n",
};
const goBuilder = [
  "FROM golang:1.23 AS builder",
  "WORKDIR /src",
  "COPY go.mod ./",
  `RUN ${GO} go mod download`,
  "COPY . .",
  `RUN ${GO} go build -o /out/app .`,
];

const CASES: RuleCase[] = [
  {
    rule: "DB001",
    line: 3,
    fix: "COPY package.json package-lock.json ./",
    trigger: {
      ...node,
      "compose.yaml": compose(),
      Dockerfile: `FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN ${NPM} npm ci\nCMD ["node", "server.js"]\n`,
    },
    clean: {
      ...node,
      "compose.yaml": compose(),
      Dockerfile: `FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN ${NPM} npm ci\nCOPY . .\nCMD ["node", "server.js"]\n`,
    },
  },
  {
    rule: "DB002",
    line: 4,
    fix: "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
    trigger: {
      "compose.yaml": compose(),
      "requirements.txt": "flask==3.0.3\n",
      Dockerfile:
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\n",
    },
    clean: {
      "compose.yaml": compose(),
      "requirements.txt": "flask==3.0.3\n",
      Dockerfile:
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n",
    },
  },
  {
    rule: "DB003",
    line: 8,
    fix: "COPY --from=builder /out/app",
    trigger: {
      ...goFiles,
      "compose.yaml": compose("production"),
      Dockerfile: [...goBuilder, "", "FROM builder AS production", 'ENTRYPOINT ["/out/app"]', ""].join("\n"),
    },
    clean: {
      ...goFiles,
      "compose.yaml": compose("production"),
      Dockerfile: [
        ...goBuilder,
        "",
        "FROM scratch AS production",
        "COPY --from=builder /out/app /app",
        'ENTRYPOINT ["/app"]',
        "",
      ].join("\n"),
    },
  },
  {
    rule: "DB004",
    line: 8,
    fix: "COPY --from=builder /out/app /app",
    trigger: {
      ...goFiles,
      "compose.yaml": compose("production"),
      Dockerfile: [
        ...goBuilder,
        "FROM builder AS test",
        `RUN ${GO} go test ./...`,
        "FROM scratch AS production",
        "COPY --from=test /out/app /app",
        "",
      ].join("\n"),
    },
    // the same test stage, which the production target no longer needs: not reported
    clean: {
      ...goFiles,
      "compose.yaml": compose("production"),
      Dockerfile: [
        ...goBuilder,
        "FROM builder AS test",
        `RUN ${GO} go test ./...`,
        "FROM scratch AS production",
        "COPY --from=builder /out/app /app",
        "",
      ].join("\n"),
    },
  },
  {
    rule: "DB005",
    line: 3,
    fix: "COPY --from=stage-0",
    trigger: {
      "compose.yaml": compose(),
      Dockerfile: "FROM alpine:3.20\nFROM scratch\nCOPY --from=0 /etc/alpine-release /release\n",
    },
    clean: {
      "compose.yaml": compose(),
      Dockerfile:
        "FROM alpine:3.20 AS alpine\nFROM scratch\nCOPY --from=alpine /etc/alpine-release /release\n",
    },
  },
  {
    rule: "DB006",
    line: 2,
    fix: "node_modules",
    trigger: {
      "compose.yaml": compose(),
      "node_modules/": "",
      "index.html": "<p>hi</p>\n",
      Dockerfile: "FROM nginx:1.27-alpine\nCOPY . /usr/share/nginx/html/\n",
    },
    clean: {
      "compose.yaml": compose(),
      "node_modules/": "",
      ".dockerignore": "**/node_modules\n",
      "index.html": "<p>hi</p>\n",
      Dockerfile: "FROM nginx:1.27-alpine\nCOPY . /usr/share/nginx/html/\n",
    },
  },
  {
    rule: "DB007",
    line: 4,
    fix: `RUN ${NPM} npm ci --omit=dev`,
    trigger: {
      ...node,
      "compose.yaml": compose(),
      Dockerfile: `FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN ${NPM} npm ci --only=production\nCOPY . .\n`,
    },
    clean: {
      ...node,
      "compose.yaml": compose(),
      Dockerfile: `FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN ${NPM} npm ci --omit=dev\nCOPY . .\n`,
    },
  },
  {
    rule: "DB008",
    line: 1,
    fix: "FROM alpine:<version>",
    trigger: { "compose.yaml": compose(), Dockerfile: "FROM alpine\nRUN echo hi > /hi\n" },
    clean: { "compose.yaml": compose(), Dockerfile: "FROM alpine:3.20\nRUN echo hi > /hi\n" },
  },
  {
    rule: "DB010",
    line: 2,
    fix: "--mount=type=cache,target=/var/cache/apt,sharing=locked",
    trigger: {
      "compose.yaml": compose(),
      Dockerfile:
        "FROM debian:12-slim\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n    apt-get update && apt-get install -y curl\n",
    },
    clean: {
      "compose.yaml": compose(),
      Dockerfile:
        "FROM debian:12-slim\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n    apt-get update && apt-get install -y curl\n",
    },
  },
];

const ERRORS = new Set(["DB001", "DB003", "DB006"]);

interface JsonReport {
  failed: boolean;
  findings: { rule: string; line: number; services: string[]; severity: string; fix: string; file: string }[];
}

describe.each(CASES)("$rule", ({ rule, line, trigger, clean, fix }) => {
  it("a Dockerfile that breaks it: that rule alone, at its line, in text, JSON and SARIF", async () => {
    const dir = writeProject(trigger);
    const json = await runBin(["--project-directory", dir, "check", "--format", "json"]);
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.rule, f.line, f.services])).toEqual([[rule, line, ["app"]]]);
    expect(report.findings[0]?.fix).toContain(fix);
    expect(json.exitCode).toBe(ERRORS.has(rule) ? 1 : 0);
    expect(report.failed).toBe(ERRORS.has(rule));

    const text = await runBin(["--project-directory", dir, "check", "--strict"]);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain(`Dockerfile:${line}: ${report.findings[0]?.severity} ${rule} `);
    expect(text.stdout).toContain("(app)");

    const sarif = await runBin(["--project-directory", dir, "check", "--format", "sarif"]);
    const log = JSON.parse(sarif.stdout) as {
      runs: {
        results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
      }[];
    };
    expect(sarifErrors(log)).toEqual([]);
    expect(
      log.runs[0]?.results.map((r) => [r.ruleId, r.locations[0]?.physicalLocation.region.startLine]),
    ).toEqual([[rule, line]]);
  });

  it("the same Dockerfile fixed: nothing, in text, JSON and SARIF, even with --strict", async () => {
    const dir = writeProject(clean);
    const json = await runBin(["--project-directory", dir, "check", "--format", "json", "--strict"]);
    expect((JSON.parse(json.stdout) as JsonReport).findings).toEqual([]);
    expect(json.exitCode).toBe(0);
    const text = await runBin(["--project-directory", dir, "check", "--strict"]);
    expect(text.stdout.trim()).toBe("no findings in 1 service");
    expect(text.exitCode).toBe(0);
    const sarif = await runBin(["--project-directory", dir, "check", "--format", "sarif", "--strict"]);
    const log = JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] };
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0]?.results).toEqual([]);
  });
});
