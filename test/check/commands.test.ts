import { describe, expect, it } from "vitest";
import { commandKind } from "../../src/check/command-kinds.js";
import { matchInstall } from "../../src/check/package-managers.js";
import { parseShellCommands } from "../../src/check/shell-commands.js";
import { toolchainImage } from "../../src/check/toolchain-images.js";
import { parseSize } from "../../src/check/rules/image-size.js";

describe("parseShellCommands", () => {
  it.each([
    [
      "npm ci && npm run build",
      [
        ["npm", "ci"],
        ["npm", "run", "build"],
      ],
    ],
    [
      "A=1 PIP_CACHE_DIR=/x pip install -r r.txt; cd /app || exit 1",
      [
        ["pip", "install", "-r", "r.txt"],
        ["cd", "/app"],
        ["exit", "1"],
      ],
    ],
    [
      "if [ -f x ]; then npm ci; fi",
      [
        ["[", "-f", "x", "]"],
        ["npm", "ci"],
      ],
    ],
    [
      'sh -c "go mod download && go build ./..."',
      [
        ["go", "mod", "download"],
        ["go", "build", "./..."],
      ],
    ],
    ["sudo -E env -i CGO_ENABLED=0 go build -o /out/app .", [["go", "build", "-o", "/out/app", "."]]],
    [
      'yarn --frozen-lockfile | tee log # a "comment"',
      [
        ["yarn", "--frozen-lockfile"],
        ["tee", "log"],
      ],
    ],
    ["for f in a b; do echo $f; done", [["echo", "$f"]]],
    [
      "if [ -f yarn.lock ]; then\n  yarn install\nelse\n  npm ci\nfi",
      [
        ["[", "-f", "yarn.lock", "]"],
        ["yarn", "install"],
        ["npm", "ci"],
      ],
    ],
    [
      'composer install `if [ "$T" != "true" ]; then echo "--no-dev"; fi`',
      [["composer", "install", '`if [ "$T" != "true" ]; then echo "--no-dev"; fi`']],
    ],
    ['echo $(a; b) "x $(c "d)")" \'e f\'', [["echo", "$(a; b)", 'x $(c "d)")', "e f"]]],
    [
      "npm ci # a comment; npm test\nnpm run build",
      [
        ["npm", "ci"],
        ["npm", "run", "build"],
      ],
    ],
    ["cat <<EOF > /etc/motd\nnpm ci\nEOF\nnpm test", [["cat"], ["npm", "test"]]],
    ["apt-get install -y \\\n  curl", [["apt-get", "install", "-y", "curl"]]],
    ["case $x in a) npm ci;; esac", [["npm", "ci"]]],
    ["a 2>&1 | tee log && b > out", [["a"], ["tee", "log"], ["b"]]],
  ])("%s", (script, expected) => {
    expect(parseShellCommands(script).map((c) => c.argv)).toEqual(expected);
  });

  it("keeps each command's text as written, redirections included", () => {
    const script = "if true; then DEBIAN_FRONTEND=noninteractive apt-get install -y curl > /dev/null; fi";
    expect(parseShellCommands(script).map((c) => c.text)).toEqual([
      "true",
      "DEBIAN_FRONTEND=noninteractive apt-get install -y curl > /dev/null",
    ]);
  });

  it("keeps the variables set in front of a command", () => {
    expect(parseShellCommands("PIP_CACHE_DIR=/c pip install x")).toMatchObject([
      { argv: ["pip", "install", "x"], env: { PIP_CACHE_DIR: "/c" }, text: "PIP_CACHE_DIR=/c pip install x" },
    ]);
  });
});

describe("matchInstall", () => {
  const match = (script: string, yarnBerry = false) => {
    const [command] = parseShellCommands(script);
    const found = command ? matchInstall(command, { yarnBerry }) : undefined;
    return (
      found && { manager: found.manager, dependencyInstall: found.dependencyInstall, caches: found.caches }
    );
  };
  it.each([
    ["npm ci", { manager: "npm", dependencyInstall: true, caches: ["npm"] }],
    ["npm install -g typescript", { manager: "npm", dependencyInstall: false, caches: ["npm"] }],
    ["npm install left-pad", { manager: "npm", dependencyInstall: false, caches: ["npm"] }],
    ["pnpm install --frozen-lockfile", { manager: "pnpm", dependencyInstall: true, caches: ["pnpm"] }],
    ["yarn", { manager: "yarn", dependencyInstall: true, caches: ["yarn"] }],
    [
      "python3 -m pip install -r requirements/prod.txt",
      { manager: "pip", dependencyInstall: true, caches: ["pip"] },
    ],
    ["pip3 install --no-cache-dir .", { manager: "pip", dependencyInstall: false, caches: ["pip"] }],
    ["poetry install --no-root", { manager: "poetry", dependencyInstall: true, caches: ["poetry"] }],
    ["uv sync --frozen", { manager: "uv", dependencyInstall: true, caches: ["uv"] }],
    ["go mod download", { manager: "go", dependencyInstall: true, caches: ["go-mod"] }],
    ["go build ./cmd/api", { manager: "go", dependencyInstall: false, caches: ["go-mod", "go-build"] }],
    ["bundle install", { manager: "bundler", dependencyInstall: true, caches: ["bundler"] }],
    ["cargo fetch", { manager: "cargo", dependencyInstall: true, caches: ["cargo"] }],
    ["composer install --no-dev", { manager: "composer", dependencyInstall: true, caches: ["composer"] }],
    [
      "apt-get install -y curl",
      { manager: "apt", dependencyInstall: false, caches: ["apt-cache", "apt-lists"] },
    ],
    ["apk add --no-cache curl", { manager: "apk", dependencyInstall: false, caches: ["apk"] }],
    ["npm run build", undefined],
    ["pipx install black", undefined],
    ["go vet ./...", undefined],
  ])("%s", (script, expected) => {
    expect(match(script)).toEqual(expected);
  });
  it("Yarn 2+ keeps its cache elsewhere", () => {
    expect(match("yarn install --immutable", true)?.caches).toEqual(["yarn-berry"]);
  });
});

describe("commandKind", () => {
  it.each([
    ["npm run build", "build"],
    ["pnpm build", "build"],
    ["npm test", "test"],
    ["yarn lint", "test"],
    ["npx vitest run", "test"],
    ["go build -o /out/app .", "build"],
    ["go test ./...", "test"],
    ["python -m pytest -q", "test"],
    ["tsc --noEmit", "test"],
    ["tsc -p .", "build"],
    ["mvn -B package", "build"],
    ["./gradlew check", "test"],
    ["sh tests/run.sh /out", "test"],
    ["test -s /opt/toolchain/bin.dat", undefined],
    ["npm start", undefined],
    ["make", "build"],
    ["make test", "test"],
  ])("%s → %s", (script, expected) => {
    const [command] = parseShellCommands(script);
    expect(command && commandKind(command)).toBe(expected);
  });
});

describe("toolchainImage", () => {
  it.each([
    ["golang:1.23", "gcr.io/distroless/static-debian12"],
    ["golang:1.23-alpine", "gcr.io/distroless/static-debian12"],
    ["node:22", "node:22-slim"],
    ["docker.io/library/node:20.11-bookworm", "node:20.11-slim"],
    ["python", "python:3.12-slim"],
    ["maven:3.9-eclipse-temurin-21", "eclipse-temurin:21-jre"],
    ["gradle:8.10-jdk17", "eclipse-temurin:17-jre"],
    ["mcr.microsoft.com/dotnet/sdk:8.0", "mcr.microsoft.com/dotnet/aspnet:8.0"],
    ["node:22-slim", undefined],
    ["python:3.12-alpine", undefined],
    ["eclipse-temurin:21-jre", undefined],
    ["alpine:3.20", undefined],
    ["acme/nodejs-app:1", undefined],
  ])("%s", (ref, runtime) => {
    expect(toolchainImage(ref)?.runtime.image).toBe(runtime);
  });
});

describe("parseSize", () => {
  it.each([
    [120_000_000, 120_000_000],
    ["120MB", 120_000_000],
    ["1.5GiB", 1_610_612_736],
    ["800 kB", 800_000],
    ["12 parsecs", undefined],
  ])("%s", (value, bytes) => {
    expect(parseSize(value)).toBe(bytes);
  });
});
