#!/usr/bin/env node
// Builds dist/ from src/: the command line (dist/cli/main.js), the Node API (dist/index.js) and the scheduler
// alone for the benchmark's simulation (dist/run.js, not exported by the package), bundled with
// their dependencies and split at the lazily imported commands, plus the API's type declarations
// (dist/types/). A no-op `dockbuild all` is mostly process start-up, and loading one bundle is faster than
// resolving and reading the hundreds of files of its dependencies. Type checking is `pnpm typecheck`.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
// The declarations are kept: tsc rewrites only what changed (its build info lives beside them).
mkdirSync(`${root}/dist`, { recursive: true });
for (const entry of readdirSync(`${root}/dist`).filter((name) => name !== "types")) {
  rmSync(`${root}/dist/${entry}`, { recursive: true, force: true });
}
await build({
  absWorkingDir: root,
  entryPoints: { "cli/main": "src/cli/main.ts", index: "src/index.ts", run: "src/run/index.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  sourcemap: true,
  logLevel: "warning",
  // some dependencies are CommonJS and call require(); give the ESM bundle one
  // jsonc-parser's main file is a UMD wrapper whose require() calls esbuild cannot follow; its ESM build bundles
  alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
  banner: {
    js: "import { createRequire as __dockbuildRequire } from 'node:module'; const require = __dockbuildRequire(import.meta.url);",
  },
});
execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit",
});
