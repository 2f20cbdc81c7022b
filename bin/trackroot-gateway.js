#!/usr/bin/env node
// A participant gateway (configuration from TRACKROOT_* environment variables; see docs). Like the
// `trackroot` command it runs the TypeScript sources through ts-node, with no build step.
const path = require("node:path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
require("../src/gateway/main.ts").main();
