#!/usr/bin/env node
// A participant gateway (configuration from TRACKROOT_* environment variables; see docs). Like the
// `trackroot` command it runs the TypeScript sources through bin/register.js, with no build step.
require("./register");
require("../src/gateway/main.ts").main();
