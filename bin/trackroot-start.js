#!/usr/bin/env node
// `npm start`: the whole ledger on this machine (a chain, the contracts, a demo, the relayer, the
// indexer and the verification site). Like the other commands it runs the TypeScript sources
// through bin/register.js, with no build step.
require("./register");
require("../src/stack/stack-main.ts").main();
