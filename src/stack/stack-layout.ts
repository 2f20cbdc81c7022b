import { join } from "node:path";

/** Where the local stack keeps everything, under one data directory (delete it, or --fresh, to start over). */
export function stackLayout(dataDir: string) {
  return {
    dataDir,
    /** says the directory is the stack's, so --fresh may delete it */
    marker: join(dataDir, ".trackroot-stack"),
    /** anvil's --state file: accounts, blocks, transactions and logs */
    chainState: join(dataDir, "chain", "state.json"),
    deploymentsDir: join(dataDir, "deployments"),
    deployment: join(dataDir, "deployments", "31337.json"),
    keysDir: join(dataDir, "keys"),
    keystore: (role: string) => join(dataDir, "keys", `${role}.keystore.json`),
    /** the API token of a party's warehouse system at its gateway */
    gatewayToken: (role: string) => join(dataDir, "keys", `${role}-gateway-token.txt`),
    gatewayDb: (role: string) => join(dataDir, `gateway-${role}.sqlite`),
    /** the auditor's consortium read token for the indexer */
    indexerToken: join(dataDir, "keys", "indexer-token.txt"),
    metricsToken: join(dataDir, "keys", "metrics-token.txt"),
    /** the embedded content store every part shares (the CLI's <dataDir>/content) */
    contentDir: join(dataDir, "content"),
    relayerDb: join(dataDir, "relayer.sqlite"),
    indexerDb: join(dataDir, "indexer.sqlite"),
    logsDir: join(dataDir, "logs"),
    log: (name: string) => join(dataDir, "logs", `${name}.log`),
    erpFile: join(dataDir, "erp", "production-orders.csv"),
    /** the brand's product record for the demo's GTIN (trackroot product set) */
    productFile: join(dataDir, "erp", "product-record.json"),
    /** its picture, published with the record and named in it by CID */
    productPictureFile: join(dataDir, "erp", "product-picture.png"),
    releaseDir: (erpRef: string) => join(dataDir, "release", erpRef),
    /** written once the demo has played to its end: the sample codes */
    demo: join(dataDir, "demo.json"),
    /** the running processes, so a later start can stop ones an abrupt end left behind */
    pids: join(dataDir, "pids.json"),
    /** configuration for the `trackroot` CLI against this stack (the printed audit command uses it) */
    cliConfig: join(dataDir, "trackroot.config.json"),
    auditDir: join(dataDir, "audit"),
  };
}
export type StackLayout = ReturnType<typeof stackLayout>;
