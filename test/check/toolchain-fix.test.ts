import { describe, expect, it } from "vitest";
import { analyzeDockerfile, stagesForTarget } from "../../src/dockerfile/index.js";
import { runBin, writeProject } from "../helpers/run-bin.js";
import { checkDockerfile } from "./check-helper.js";

// DB003's fix is a Dockerfile of its own: the project's Dockerfile analysis plans it without errors, its stage
// names are distinct and valid, every COPY --from names an earlier stage of it, and its last stage is the small
// image for the toolchain that built.

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

function checkFixDockerfile(code: string, runtime: string) {
  const analysis = analyzeDockerfile(code, "fix");
  expect(analysis.errors).toEqual([]);
  expect(() => stagesForTarget(analysis)).not.toThrow();
  const names = analysis.stages.filter((s) => s.named).map((s) => s.name);
  expect(new Set(names).size).toBe(names.length);
  for (const name of names) expect(name).toMatch(STAGE_NAME);
  for (const line of code.split("\n").filter((l) => /^FROM /i.test(l))) {
    // FROM [--platform=…] image [AS name]: nothing else on the line
    expect(line).toMatch(/^FROM (--\S+ )*\S+( AS [a-z][a-z0-9-_.]*)?$/i);
  }
  analysis.stages.forEach((stage, index) => {
    for (const source of stage.sources) {
      expect(source.from.kind).toBe("stage");
      const from = analysis.stages.findIndex((s) => s.name === source.raw);
      expect(from).toBeGreaterThanOrEqual(0);
      expect(from).toBeLessThan(index);
    }
  });
  expect(analysis.stages.at(-1)?.base).toEqual({ kind: "image", ref: runtime });
}

const go = "WORKDIR /src\nCOPY go.mod ./\nCOPY . .\n";
const CASES = [
  {
    name: "Go, the only stage, unnamed",
    dockerfile: `FROM golang:1.23\n${go}RUN go build -o /out/api .\n`,
    runtime: "gcr.io/distroless/static-debian12",
    copy: "COPY --from=builder /out/api /api",
  },
  {
    name: "Go, the only stage, named builder, relative -o",
    dockerfile: `FROM golang:1.23 AS builder\n${go}RUN go build -o app .\n`,
    runtime: "gcr.io/distroless/static-debian12",
    copy: "COPY --from=builder /src/app /app",
  },
  {
    name: "Go, the target named xyz",
    dockerfile: `FROM golang:1.23 AS xyz\n${go}RUN go build -o /out/api .\n`,
    target: "xyz",
    runtime: "gcr.io/distroless/static-debian12",
    copy: "COPY --from=xyz /out/api /api",
  },
  {
    name: "Go, built FROM the compiling stage",
    dockerfile: `FROM golang:1.23 AS build\n${go}RUN go build -o /out/api .\nFROM build AS production\nENTRYPOINT ["/out/api"]\n`,
    runtime: "gcr.io/distroless/static-debian12",
    copy: "COPY --from=build /out/api /api",
  },
  {
    name: "Go, target builder while a stage production exists",
    dockerfile: `FROM golang:1.23 AS builder\n${go}RUN go build -o /out/a .\nFROM scratch AS production\nCOPY --from=builder /out/a /a\n`,
    target: "builder",
    runtime: "gcr.io/distroless/static-debian12",
    copy: "COPY --from=builder /out/a /a",
  },
  {
    name: "Go, the target compiles on a stage that downloads the modules",
    dockerfile: `FROM golang:1.23 AS deps\n${go}RUN go mod download\nFROM deps AS production\nRUN go build -o /out/api .\n`,
    runtime: "gcr.io/distroless/static-debian12",
    copy: "COPY --from=production /out/api /api",
    target: "production",
  },
  {
    name: "Go, go install in the only stage",
    dockerfile: `FROM golang:1.23\n${go}RUN go install ./cmd/...\n`,
    runtime: "gcr.io/distroless/static-debian12",
    copy: "COPY --from=builder /go/bin/ /usr/local/bin/",
  },
  {
    name: "Node, the only stage",
    dockerfile: `FROM node:22\nWORKDIR /app\nRUN npm run build\nCMD ["node", "dist/main.js"]\n`,
    runtime: "node:22-slim",
  },
  {
    name: "Node, the target on the builder's image",
    dockerfile: `FROM node:22 AS build\nWORKDIR /app\nRUN npm run build\nFROM node:22 AS production\nCOPY --from=build /app/dist ./dist\n`,
    runtime: "node:22-slim",
  },
  {
    name: "Node, FROM a stage named like a builder",
    dockerfile: `FROM node:22.11 AS build-env\nWORKDIR /app\nCOPY . .\nFROM build-env AS production\n`,
    runtime: "node:22.11-slim",
  },
  {
    name: "Rust",
    dockerfile: "FROM rust:1.80\nWORKDIR /src\nRUN cargo build --release\n",
    runtime: "gcr.io/distroless/cc-debian12",
  },
  {
    name: "cargo on Ubuntu, stage named xyz",
    dockerfile: "FROM ubuntu:24.04 AS xyz\nRUN cargo build\n",
    runtime: "ubuntu:24.04",
  },
  {
    name: "make install on Ubuntu",
    dockerfile: "FROM ubuntu:24.04 AS xyz\nRUN make install DESTDIR=/out\n",
    runtime: "ubuntu:24.04",
    copy: "COPY --from=xyz /out/ /",
  },
  {
    name: "gcc on Debian",
    dockerfile: "FROM debian:12\nRUN gcc -o /out/hello hello.c\n",
    runtime: "debian:12-slim",
    copy: "COPY --from=builder /out/hello /hello",
  },
  {
    name: "make on Alpine",
    dockerfile: "FROM alpine:3.20 AS build\nRUN make\nFROM build\n",
    runtime: "alpine:3.20",
  },
  {
    name: "Python, the only stage, nothing compiled",
    dockerfile: 'FROM python:3.12\nCMD ["python"]\n',
    runtime: "python:3.12-slim",
  },
  {
    name: "Python, built FROM the builder",
    dockerfile: "FROM python:3.12 AS builder\nRUN python -m build\nFROM builder AS production\n",
    runtime: "python:3.12-slim",
  },
];

describe("DB003: the suggested Dockerfile is valid and ends on the small image", () => {
  it.each(CASES)("$name", async ({ dockerfile, target, runtime, copy }) => {
    const { findings } = await checkDockerfile(dockerfile, { "go.mod": "module x\n" }, target);
    const db003 = findings.filter((f) => f.rule === "DB003");
    expect(db003).toHaveLength(1);
    const [intro = "", ...code] = db003[0]?.fix.split("\n") ?? [];
    expect(intro).toContain(runtime);
    checkFixDockerfile(code.join("\n"), runtime);
    if (copy) expect(code).toContain(copy);
    else expect(code.some((l) => l.includes("<build-output>"))).toBe(intro.includes("<build-output>"));
    // the compose target named the compiling stage: it keeps its name and the new final stage becomes the target
    const last = analyzeDockerfile(code.join("\n"), "fix").stages.at(-1);
    if (target) {
      expect(last?.name).not.toBe(target);
      expect(intro).toContain(`set build.target: ${last?.name}:`);
    } else expect(intro).not.toContain("build.target");
  });
});

describe("DB003: an image other services build their builder stages on is a toolchain by design", () => {
  const toolchain = "FROM ubuntu:24.04 AS xyz\nRUN cargo build\n";
  const compose = (app: string) =>
    `services:\n  build-base:\n    image: acme/build-base:1\n    build: ./toolchain\n  app:\n    build: ./${app}\n`;
  const rules = async (files: Record<string, string>) => {
    const dir = writeProject(files);
    const result = await runBin(["--project-directory", dir, "check", "--format", "json"]);
    const report = JSON.parse(result.stdout) as { findings: { rule: string; services: string[] }[] };
    return report.findings.filter((f) => f.rule === "DB003").map((f) => f.services);
  };

  it("FROM it AS builder, the final stage copying only the output: not reported", async () => {
    const app =
      "FROM acme/build-base:1 AS builder\nRUN make install DESTDIR=/out\nFROM alpine:3.20\nCOPY --from=builder /out /\n";
    expect(
      await rules({
        "compose.yaml": compose("app"),
        "toolchain/Dockerfile": toolchain,
        "app/Dockerfile": app,
      }),
    ).toEqual([]);
  });

  it("several services, one through a stage built on it that the final copies from: not reported", async () => {
    const compose =
      "services:\n  build-base:\n    image: acme/build-base:1\n    build: ./toolchain\n  server:\n    build: ./server\n  web:\n    build: ./web\n";
    const server =
      "FROM acme/build-base:1 AS builder\nRUN make install DESTDIR=/out\nFROM alpine:3.20\nCOPY --from=builder /out /\n";
    const web =
      "FROM acme/build-base:1 AS base\nFROM base AS compile\nRUN make\nFROM alpine:3.20\nCOPY --from=compile /src/web /web\n";
    const files = {
      "compose.yaml": compose,
      "toolchain/Dockerfile": toolchain,
      "server/Dockerfile": server,
      "web/Dockerfile": web,
    };
    expect(await rules(files)).toEqual([]);
  });

  it("used as the base of the final image instead: still reported on the toolchain service", async () => {
    const app = 'FROM acme/build-base:1\nCMD ["/usr/local/bin/app"]\n';
    expect(
      await rules({
        "compose.yaml": compose("app"),
        "toolchain/Dockerfile": toolchain,
        "app/Dockerfile": app,
      }),
    ).toEqual([["build-base"]]);
  });
});
