// Loads this package's TypeScript sources without a build step: each .ts file is transpiled on
// require by esbuild (type-stripping only, as ts-node's transpile-only mode does, in about a
// tenth of the time), with inline source maps so stack traces name the .ts lines.
"use strict";
const { readFileSync } = require("node:fs");
const esbuild = require("esbuild");

if (!require.extensions[".ts"]) {
  process.setSourceMapsEnabled(true);
  require.extensions[".ts"] = (module, filename) => {
    const { code } = esbuild.transformSync(readFileSync(filename, "utf8"), {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcefile: filename,
      sourcemap: "inline",
      // as tsconfig.json compiles: ES2022 class fields (define semantics)
      tsconfigRaw: { compilerOptions: { target: "ES2022", useDefineForClassFields: true } },
    });
    module._compile(code, filename);
  };
}
