// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "node_modules/",
      "packages/",
      "bench/work/",
      "fuzz/work/",
      "coverage/",
      "**/fixtures/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "execa", message: "Spawn through src/exec/ only." }] },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "ImportDeclaration[source.value='zod'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message:
            'Use `import * as z from "zod"`: its `z` object pulls every locale of zod into the bundle (550 KB, about 30 ms of every start-up).',
        },
      ],
    },
  },
  {
    files: ["src/exec/**", "test/**", "bench/**", "scripts/**"],
    rules: { "no-restricted-imports": "off" },
  },
);
