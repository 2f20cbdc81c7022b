#!/usr/bin/env node
// The `trackroot` command. It runs the TypeScript sources through bin/register.js (esbuild, type-stripping only), so a
// checkout works right after `npm ci` with no build step.
require("./register");
require("../src/cli/main.ts").main();
