import { writeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { Logger } from "pino";
import { accountFromKeystore } from "../chain/keystore";
import { readDeployment } from "../chain/deployment";
import { Ledger } from "../chain/ledger";
import { participantByRef } from "../chain/participant-ref";
import { RelayerClient } from "../client/relayer-client";
import type { Signer } from "../client/signer";
import { WorkerPool } from "../compute/worker-pool";
import { CUSTODY_KINDS } from "../core/custody/participant-kinds";
import { ValidationError } from "../core/errors";
import { closeServer, listen, logMigrated, serviceMain } from "../service/service-main";
import { openDatabase } from "../store/database";
import type { GatewayTables } from "../store/schema";
import { parseApiClients } from "./api-clients";
import { CaptureDesk } from "./capture-desk";
import { parseGatewayConfig, type GatewayConfig } from "./config";
import { Forwarder } from "./forwarder";
import { XmlIntake } from "./xml-intake";
import { XsdValidator } from "../xml/xsd-validator";
import { HandoverDesk } from "./handover-desk";
import { gatewayApp } from "./http/app";
import { GatewayMetrics } from "./metrics";
import { OutboxStore } from "./outbox-store";

export interface RunningGateway {
  url: string;
  participant: number;
  key: string;
  stop: () => Promise<void>;
}

/**
 * Wires one participant's gateway: its one signing key (an encrypted keystore here; any Signer
 * would do), its outbox, the forwarder to the relayers, the capture and handover desks, and HTTP.
 * On start the forwarder resumes whatever the outbox holds: a capture acknowledged before a crash
 * is forwarded after it.
 */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  const clients = parseApiClients(config.TRACKROOT_GATEWAY_CLIENTS, "TRACKROOT_GATEWAY_CLIENTS");
  const deployment = await readDeployment(config.TRACKROOT_DEPLOYMENT);
  const signer: Signer = await accountFromKeystore(
    await readFile(config.TRACKROOT_GATEWAY_KEYSTORE, "utf8"),
    config.TRACKROOT_GATEWAY_KEYSTORE_PASSWORD,
    config.TRACKROOT_GATEWAY_KEYSTORE,
  );
  const ledger = new Ledger({ rpcUrl: config.TRACKROOT_RPC_URL, deployment });
  await ledger.checkChain();
  const [participant, kind, active] = await ledger.read(() => ledger.registry.read.keyStanding([signer.address]));
  if (participant === 0 || !active || !CUSTODY_KINDS.has(kind)) {
    throw new ValidationError(
      "TRACKROOT_GATEWAY_KEYSTORE",
      signer.address,
      "must hold an active key of a participant that records events (a brand, producer, custodian or retailer)",
    );
  }
  const domain = { chainId: deployment.chainId, verifyingContract: ledger.commitmentLog.address };
  const { db, engine } = openDatabase<GatewayTables>({
    url: config.DATABASE_URL,
    sqlitePath: config.TRACKROOT_GATEWAY_DB,
  });
  const store = await OutboxStore.open(db, engine);
  logMigrated(logger, "gateway", store.migrated);
  const relayers = config.TRACKROOT_RELAYER_URLS.map((url) => ({
    url,
    client: new RelayerClient({ url, timeoutMs: 15_000 }),
  }));
  const metrics = new GatewayMetrics({ processMetrics: true });
  const halt = config.TRACKROOT_GATEWAY_HALT_AT;
  const haltAt = (step: string, id: string) => {
    if (step !== halt) return;
    // written straight to stdout: the process is gone before an asynchronous log would be
    writeSync(1, JSON.stringify({ level: 40, event: "halt", step, id, msg: `halting at ${step}` }) + "\n");
    process.kill(process.pid, "SIGKILL");
  };
  // one thread for the hashing of documents, off the thread that acknowledges them
  const pool = new WorkerPool({ size: 1 });
  const forwarder = new Forwarder({
    summarize: (text, salt) => pool.captureSummary(text, salt),
    store,
    relayers,
    signer,
    domain,
    failoverMs: config.TRACKROOT_GATEWAY_FAILOVER_MS,
    pollMs: config.TRACKROOT_GATEWAY_POLL_MS,
    concurrency: config.TRACKROOT_GATEWAY_CONCURRENCY,
    maxAgeSeconds: config.TRACKROOT_CAPTURE_MAX_AGE_SECONDS,
    log: (event, detail) =>
      (event.endsWith("retry") || event.endsWith("error") ? logger.warn : logger.info).call(
        logger,
        { event, ...detail },
        event,
      ),
    ...(halt ? { onStep: haltAt } : {}),
  });
  const captures = new CaptureDesk({
    store,
    maxEvents: config.TRACKROOT_CAPTURE_MAX_EVENTS,
    // the ack is sent first; the forwarder picks it up on its next look (or now, when idle)
    onQueued: () => setImmediate(() => forwarder.poke()),
  });
  const handovers = new HandoverDesk({
    relayer: relayers[0].client,
    signer,
    domain,
    participant,
    participantByRef: (value, field) => participantByRef(ledger, value, field),
  });
  const app = gatewayApp({
    captures,
    xml: new XmlIntake(XsdValidator.load()),
    maxEvents: config.TRACKROOT_CAPTURE_MAX_EVENTS,
    handovers,
    store,
    clients,
    metrics,
    participant,
    bodyLimit: config.TRACKROOT_BODY_LIMIT,
    health: relayers.map((r, i) => ({
      name: `relayer ${i + 1}`,
      check: async () => {
        const res = await fetch(new URL("/health", r.url), { signal: AbortSignal.timeout(3000) });
        if (!res.ok) throw new Error(`${r.url} answers ${res.status}`);
      },
    })),
    metricsToken: config.TRACKROOT_METRICS_TOKEN,
    ...(halt === "acknowledged"
      ? { onAcknowledged: (id: string) => setImmediate(() => haltAt("acknowledged", id)) }
      : {}),
    log: (e) => logger.error({ err: e }, "request failed"),
  });
  const depth = await store.depth();
  forwarder.start();
  const server: Server = app.listen(config.TRACKROOT_GATEWAY_PORT, config.TRACKROOT_GATEWAY_HOST);
  const url = await listen(server, config.TRACKROOT_GATEWAY_HOST);
  logger.info(
    {
      event: "gateway.started",
      url,
      participant,
      key: signer.address,
      engine,
      relayers: config.TRACKROOT_RELAYER_URLS,
      outbox: depth,
    },
    "gateway ready",
  );

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info({ event: "gateway.stopping" }, "stopping: finishing requests in flight; the outbox keeps the rest");
      await closeServer(server);
      await forwarder.stop();
      await pool.close();
      const left = await store.depth();
      await store.close();
      logger.info({ event: "gateway.stopped", outbox: left }, "gateway stopped");
    })());
  return { url, participant, key: signer.address, stop };
}

/** The process entry: configuration from the environment, JSON logs on stdout, clean stop on SIGTERM/SIGINT. */
export function main(): Promise<void> {
  return serviceMain({ name: "gateway", parse: parseGatewayConfig, start: startGateway });
}
