import { describe, expect, it } from "vitest";
import { checkDockerfile } from "./check-helper.js";

// DB002 quotes the install command as written and suggests the mount as a change to the RUN line as written:
// the fix's last line is line N with the flags put after RUN, the lines before it go above line N. Applying
// the fix to the Dockerfile must leave nothing for DB002 to report.

const APT_MOUNTS =
  "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked";

interface QuoteCase {
  name: string;
  dockerfile: string;
  /** What the message quotes between its backquotes. */
  quoted: string;
  /** The RUN line as the fix writes it. */
  line: string;
}

const CASES: QuoteCase[] = [
  {
    name: "a here-document with if/else",
    dockerfile:
      'FROM debian:12-slim\nARG FLAVOR=full\nRUN <<-EOF\n\tif [ "${FLAVOR}" = "slim" ]; then\n\t    apt-get install -y --no-install-recommends curl\n\telse\n\t    apt-get install -y --no-install-recommends curl git\n\tfi\nEOF\n',
    quoted: "`apt-get install -y --no-install-recommends curl`",
    line: `RUN ${APT_MOUNTS} <<-EOF`,
  },
  {
    name: "a backquoted substitution with quotes and semicolons",
    dockerfile:
      'FROM composer:2\nRUN composer install --prefer-dist \\\n    `if [ "$TESTING" != "true" ]; then echo "--no-dev"; fi`\n',
    quoted: '`` composer install --prefer-dist `if [ "$TESTING" != "true" ]; then echo "--no-dev"; fi` ``',
    line: "RUN --mount=type=cache,target=/root/.cache/composer composer install --prefer-dist \\",
  },
  {
    name: "line continuations, and a comment line inside them",
    dockerfile:
      "FROM debian:12-slim\nRUN apt-get update \\\n    # the client and git\n    && apt-get install -y \\\n       curl \\\n       git\n",
    quoted: "`apt-get install -y curl git`",
    line: `RUN ${APT_MOUNTS} apt-get update \\`,
  },
  {
    name: "an && chain keeps every command",
    dockerfile:
      'FROM node:22-slim\nCOPY package.json package-lock.json ./\nRUN npm ci && npm run build && echo "done; ok"\n',
    quoted: "`npm ci`",
    line: 'RUN --mount=type=cache,target=/root/.npm npm ci && npm run build && echo "done; ok"',
  },
  {
    name: "comments inside a here-document",
    dockerfile:
      'FROM debian:12-slim\nRUN <<EOF\n# the tools\napt-get update\n# "curl" only; no recommends\napt-get install -y curl # the client\nEOF\n',
    quoted: "`apt-get install -y curl`",
    line: `RUN ${APT_MOUNTS} <<EOF`,
  },
  {
    name: "a here-document given to bash",
    dockerfile: "FROM python:3.12-slim\nRUN bash -e <<'EOF'\nset -x\npip install -r requirements.txt\nEOF\n",
    quoted: "`pip install -r requirements.txt`",
    line: "RUN --mount=type=cache,target=/root/.cache/pip bash -e <<'EOF'",
  },
  {
    name: "sh -c with a quoted script",
    dockerfile: "FROM python:3.12-slim\nRUN sh -c 'cd /app && pip install -r requirements.txt'\n",
    quoted: "`pip install -r requirements.txt`",
    line: "RUN --mount=type=cache,target=/root/.cache/pip sh -c 'cd /app && pip install -r requirements.txt'",
  },
  {
    name: "a long command is shortened at a word, with …",
    dockerfile: `FROM debian:12-slim\nRUN apt-get install -y ${Array.from({ length: 20 }, (_, i) => `package-number-${i}`).join(" ")}\n`,
    quoted: "`apt-get install -y package-number-0 package-number-1 package-number-2 package-number-3 …`",
    line: `RUN ${APT_MOUNTS} apt-get install -y ${Array.from({ length: 20 }, (_, i) => `package-number-${i}`).join(" ")}`,
  },
];

function applyFix(dockerfile: string, line: number, fix: string): string {
  const lines = dockerfile.split("\n");
  lines.splice(line - 1, 1, ...fix.split("\n").slice(1));
  return lines.join("\n");
}

describe("DB002 quotes the command as written and fixes the line as written", () => {
  it.each(CASES)("$name", async ({ dockerfile, quoted, line }) => {
    const files = { "requirements.txt": "flask\n", "package.json": "{}", "package-lock.json": "{}" };
    const { findings } = await checkDockerfile(dockerfile, files);
    const db002 = findings.filter((f) => f.rule === "DB002");
    expect(db002).toHaveLength(1);
    const finding = db002[0];
    expect(finding?.message.startsWith(`${quoted} has no cache mount`)).toBe(true);
    const [intro = "", ...code] = finding?.fix.split("\n") ?? [];
    expect(code.at(-1)).toBe(line);
    expect(intro).toMatch(/^add `--mount=type=cache,[^`]+` after RUN on line \d+/);
    const fixed = applyFix(dockerfile, finding?.location.line ?? 0, finding?.fix ?? "");
    expect((await checkDockerfile(fixed, files)).findings.filter((f) => f.rule === "DB002")).toEqual([]);
  });

  it("a here-document that is data, not a script, runs no install", async () => {
    const dockerfile =
      "FROM debian:12-slim\nRUN cat <<EOF > /usr/local/bin/setup\napt-get install -y curl\nEOF\n";
    expect((await checkDockerfile(dockerfile)).rules).toEqual([]);
  });

  it("a here-document with a #! line for a shell is read as shell", async () => {
    const dockerfile = "FROM debian:12-slim\nRUN <<EOF\n#!/usr/bin/bash -e\napt-get install -y curl\nEOF\n";
    expect((await checkDockerfile(dockerfile)).rules).toEqual([["DB002", 2]]);
  });

  it("a here-document with a #! line for another interpreter is not read as shell", async () => {
    const dockerfile =
      "FROM python:3.12-slim\nRUN <<EOF\n#!/usr/bin/env python3\nprint('pip install -r requirements.txt')\nEOF\n";
    expect((await checkDockerfile(dockerfile)).rules).toEqual([]);
  });

  it("a flag that turns the cache off is removed from the line as written", async () => {
    const dockerfile =
      "FROM python:3.12-slim\nCOPY requirements.txt ./\nRUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt && python -c 'print(1)'\n";
    const { findings } = await checkDockerfile(dockerfile, { "requirements.txt": "flask\n" });
    expect(findings.map((f) => [f.rule, f.message.split(":")[0]])).toEqual([
      ["DB002", "`pip install --no-cache-dir -r requirements.txt` turns its cache off (--no-cache-dir)"],
    ]);
    expect(findings[0]?.fix.split("\n")).toEqual([
      "remove --no-cache-dir from line 3, so that the cache mount is used:",
      "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt && python -c 'print(1)'",
    ]);
  });

  it("a flag alone on a continuation line: that line is deleted, the mount goes after RUN", async () => {
    const dockerfile =
      "FROM alpine:3.20\nRUN set -eux && \\\n    apk add \\\n        --no-cache \\\n        curl\n";
    const { findings } = await checkDockerfile(dockerfile);
    expect(findings.map((f) => f.rule)).toEqual(["DB002"]);
    expect(findings[0]?.message).toMatch(/^`apk add --no-cache curl` turns its cache off/);
    expect(findings[0]?.fix.split("\n")).toEqual([
      "add `--mount=type=cache,target=/etc/apk/cache,sharing=locked` after RUN on line 2, delete line 4, which holds only --no-cache, so that apk's downloads are kept between builds and stay out of the image:",
      "RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked set -eux && \\",
    ]);
  });

  it("exec form: the command is quoted from its words, and no line is edited at a guessed place", async () => {
    const dockerfile =
      'FROM python:3.12-slim\nCOPY requirements.txt ./\nRUN --mount=type=cache,target=/root/.cache/pip ["sh", "-c", "pip install --no-cache-dir -r requirements.txt"]\n';
    const { findings } = await checkDockerfile(dockerfile, { "requirements.txt": "flask\n" });
    expect(findings.map((f) => [f.rule, f.fix])).toEqual([
      ["DB002", "remove --no-cache-dir from the command, so that the cache mount is used:"],
    ]);
    expect(findings[0]?.message).toMatch(
      /^`pip install --no-cache-dir -r requirements.txt` turns its cache off/,
    );
  });
});
