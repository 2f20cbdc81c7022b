// Loads this package's TypeScript sources without a build step: each .ts file is transpiled on
// require by esbuild (type-stripping only, as ts-node's transpile-only mode does, in about a
// tenth of the time), with inline source maps so stack traces name the .ts lines. What esbuild
// gives is kept in node_modules/.cache/trackroot-register under the hash of the source and the
// options, so a command started again transpiles nothing it already did (a few ms a file saved,
// half a second for the CLI).
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const esbuild = require("esbuild");

const CACHE = join(__dirname, "..", "node_modules", ".cache", "trackroot-register");

function transpile(source, filename) {
  const options = {
    loader: "ts",
    format: "cjs",
    target: "node20",
    sourcefile: filename,
    sourcemap: "inline",
    // as tsconfig.json compiles: ES2022 class fields (define semantics), and `import()` as a
    // require (Node's own import() would look for the .ts file as an ES module, without a loader)
    tsconfigRaw: { compilerOptions: { target: "ES2022", useDefineForClassFields: true } },
    supported: { "dynamic-import": false },
  };
  const key = createHash("sha256").update(esbuild.version).update(JSON.stringify(options)).update(source).digest("hex");
  const cached = join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, "utf8");
  } catch {
    // not transpiled yet
  }
  const { code } = esbuild.transformSync(source, options);
  try {
    mkdirSync(CACHE, { recursive: true });
    // written aside, then renamed: a process reading it never sees half a file
    const aside = `${cached}.${process.pid}.tmp`;
    writeFileSync(aside, code);
    renameSync(aside, cached);
  } catch {
    // a read-only install transpiles every time
  }
  return code;
}

if (!require.extensions[".ts"]) {
  process.setSourceMapsEnabled(true);
  require.extensions[".ts"] = (module, filename) => {
    module._compile(transpile(readFileSync(filename, "utf8"), filename), filename);
  };
}
