#!/usr/bin/env node
// `npm start`: the whole ledger on this machine (a chain, the contracts, a demo, the relayer, the
// indexer and the verification site). Like the other commands it runs the TypeScript sources
// through ts-node, with no build step.
const path = require("node:path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
require("../src/stack/stack-main.ts").main();
