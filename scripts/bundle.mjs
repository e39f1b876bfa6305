#!/usr/bin/env node
// Builds dist/ from src/: one bundle with its dependencies, split at the lazily imported commands.
// A no-op `dockbuild all` is mostly process start-up, and loading one bundle is faster than resolving and
// reading the hundreds of files of its dependencies. Type checking is `pnpm typecheck`, apart from this.
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/main.ts"],
  outdir: "dist/cli",
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
