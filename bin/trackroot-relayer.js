#!/usr/bin/env node
// The relayer service (configuration from TRACKROOT_* environment variables; see docs). Like the
// `trackroot` command it runs the TypeScript sources through bin/register.js, with no build step.
require("./register");
require("../src/relayer/main.ts").main();
