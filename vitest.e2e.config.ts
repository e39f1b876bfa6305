import { defineConfig } from "vitest/config";

// End-to-end tests: the real BuildKit engine, real images; long timeouts, one file at a time.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    globalSetup: ["test/e2e/global-setup.ts"],
  },
});
