#!/usr/bin/env node
// The `trackroot` command. It runs the TypeScript sources through ts-node (transpile only), so a
// checkout works right after `npm ci` with no build step.
const path = require("node:path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
require("../src/cli/main.ts").main();
