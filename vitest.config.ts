import { defineConfig } from "vitest/config";

// Unit tests: pure modules and the scheduler with fake executables; no engine needed.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    testTimeout: 20_000,
    // no state folder: each test works everything out itself (tests of the state folder give their own)
    env: { DOCKBUILD_STATE_DIR: "" },
  },
});
