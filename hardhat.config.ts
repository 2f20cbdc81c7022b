import "@nomicfoundation/hardhat-ethers";
import "@nomicfoundation/hardhat-chai-matchers";
import "@typechain/hardhat";
import "hardhat-gas-reporter";
import "solidity-coverage";
import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig, NetworkUserConfig } from "hardhat/types";
import { qbftNetworkFromEnv } from "./scripts/qbft-network";

/** The compiler version, pinned to the npm `solc` package in package.json and the contracts' pragma. */
const SOLC_VERSION = "0.8.28";

// These machines reach no compiler download site: compile with the soljson.js shipped in the npm
// `solc` package instead of letting Hardhat fetch a native build.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version().replace(/\.Emscripten\.clang$/, ""),
  };
});

const networks: Record<string, NetworkUserConfig> = {
  localhost: { url: "http://127.0.0.1:8545" },
};
const qbft = qbftNetworkFromEnv(process.env);
if (qbft) networks.qbft = qbft;

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "paris" },
  },
  networks,
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    currency: "USD",
    noColors: true,
    outputFile: process.env.REPORT_GAS_FILE,
  },
  mocha: { timeout: 120_000 },
};

export default config;
