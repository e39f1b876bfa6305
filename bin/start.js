import module from "node:module";
import { fileURLToPath } from "node:url";

/** Start the CLI: compiled code is cached beside dockbuild's own dependencies, as start-up is most of a no-op run. */
export async function run(argv) {
  module.enableCompileCache?.(
    fileURLToPath(new URL("../node_modules/.cache/dockbuild-compile", import.meta.url)),
  );
  const { main } = await import("../dist/cli/main.js");
  await main(argv);
}
