import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "artifacts/", "cache/", "typechain-types/", "coverage/", "dist/", "src/core/merkle/wasm/kernel-wasm.ts", "src/chain/abis.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly", __dirname: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // nothing in the pure core may touch the file system, network, processes or threads
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["node:*", "fs", "net", "http", "https", "child_process", "worker_threads", "hardhat", "ethers"] },
      ],
      "no-restricted-globals": ["error", "process", "require", "Buffer"],
    },
  },
  {
    // the verification page runs in a browser: the core, viem and the DOM, nothing of Node's
    files: ["src/verify-web/client/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["node:*", "fs", "net", "http", "https", "pino", "express", "kysely"] }],
      "no-restricted-globals": ["error", "process", "require", "Buffer"],
    },
  },
);
