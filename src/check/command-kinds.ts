import path from "node:path";
import type { ShellCommand } from "./shell-commands.js";

/** What a command in a RUN does, as far as the size rules care. */
export type CommandKind =
  /** compiles or bundles the project (`go build`, `npm run build`, `tsc`, `mvn package`…) */
  | "build"
  /** runs tests or linters (`npm test`, `go test`, `pytest`, `eslint`…) */
  | "test";

const NODE_RUNNERS = new Set(["npm", "pnpm", "yarn", "bun"]);
const TEST_SCRIPT = /^(test|tests|lint|e2e|check|coverage)([:-].*)?$/;
const BUILD_SCRIPT = /^(build|compile|bundle|dist)([:-].*)?$/;
const TEST_TOOLS = new Set([
  "pytest",
  "tox",
  "nox",
  "mypy",
  "flake8",
  "pylint",
  "jest",
  "vitest",
  "mocha",
  "eslint",
  "golangci-lint",
  "staticcheck",
  "rspec",
  "phpunit",
  "shellcheck",
  "hadolint",
]);
const BUILD_TOOLS = new Set([
  "tsc",
  "webpack",
  "esbuild",
  "rollup",
  "gcc",
  "g++",
  "cc",
  "clang",
  "clang++",
  "javac",
]);

/** Classify one command: a build, a test run, or neither (undefined). */
export function commandKind(command: Pick<ShellCommand, "argv">): CommandKind | undefined {
  const [program = "", ...args] = command.argv;
  const name = path.posix.basename(program);
  const positional = args.filter((a) => !a.startsWith("-"));
  const [first, second] = positional;
  if (NODE_RUNNERS.has(name)) {
    const script = first === "run" || first === "run-script" ? second : first;
    if (first === "t" || (script !== undefined && TEST_SCRIPT.test(script))) return "test";
    if (script !== undefined && BUILD_SCRIPT.test(script)) return "build";
    return undefined;
  }
  if (name === "npx" || name === "pnpx" || name === "bunx")
    return commandKind({ argv: args.filter((a) => !a.startsWith("-")) });
  if (name === "go")
    return first === "test" || first === "vet"
      ? "test"
      : first === "build" || first === "install"
        ? "build"
        : undefined;
  if (name === "cargo")
    return first === "test" || first === "clippy" ? "test" : first === "build" ? "build" : undefined;
  if (name === "mvn" || name === "mvnw" || name === "gradle" || name === "gradlew") {
    if (positional.some((p) => p === "test" || p === "check" || p === "verify")) return "test";
    return positional.some((p) => /^(package|install|build|assemble|bootJar|installDist|shadowJar)$/.test(p))
      ? "build"
      : undefined;
  }
  if (name === "dotnet")
    return first === "test" ? "test" : first === "publish" || first === "build" ? "build" : undefined;
  if (name === "make") {
    if (first !== undefined && TEST_SCRIPT.test(first)) return "test";
    return first === undefined || /^(all|build|release|install)$/.test(first) ? "build" : undefined;
  }
  if (/^python[0-9.]*$/.test(name) && args[0] === "-m") {
    const module = args[1] ?? "";
    if (["pytest", "unittest", "tox", "nox", "mypy", "ruff", "flake8", "pylint"].includes(module))
      return "test";
    return module === "build" ? "build" : undefined;
  }
  if (name === "ruff") return first === "format" ? undefined : "test";
  if (name === "bundle" && first === "exec") return commandKind({ argv: args.slice(1) });
  if (name === "rake" && first !== undefined && TEST_SCRIPT.test(first.replace(/^spec$/, "test")))
    return "test";
  if (TEST_TOOLS.has(name)) return "test";
  if (BUILD_TOOLS.has(name)) return name === "tsc" && args.includes("--noEmit") ? "test" : "build";
  if (["vite", "next", "nuxt", "ng"].includes(name) && first === "build") return "build";
  // a test script run by path: `sh tests/run.sh`, `./scripts/run-tests.sh` (but not the `test` builtin)
  const script = ["sh", "bash", "ash"].includes(name) ? first : program.includes("/") ? program : undefined;
  if (script !== undefined && /(^|\/)(tests?|spec)(\/|$)|(^|\/)(run[-_])?tests?[-_.]/.test(script))
    return "test";
  return undefined;
}
