#!/usr/bin/env node
import module from "node:module";
import { fileURLToPath } from "node:url";

// Compiled code is cached beside dockbuild's own dependencies: start-up is most of a no-op run.
module.enableCompileCache?.(
  fileURLToPath(new URL("../node_modules/.cache/dockbuild-compile", import.meta.url)),
);
const { main } = await import("../dist/cli/main.js");
await main(process.argv);
