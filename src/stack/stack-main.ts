import { createServer } from "node:net";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { createPublicClient, http } from "viem";
import { z } from "zod";
import { readDeployment } from "../chain/deployment";
import { encryptKeystore } from "../chain/keystore";
import { RelayerClient } from "../client/relayer-client";
import { runCli } from "../cli/main";
import { TrackrootError } from "../core/errors";
import { tokenHash } from "../indexer/consortium-auth";
import { anvilBinary, startAnvil } from "./anvil-node";
import type { ChildService } from "./child-service";
import { startChildService } from "./child-service";
import { CAST, GOVERNOR_ACCOUNT, devKey, participantId, type CastRole } from "./demo-cast";
import {
  GATEWAY_ROLES,
  playSupplyChain,
  setUpLedger,
  type DemoRecord,
  type GatewayRole,
  type RunCli,
} from "./demo-flow";
import { GatewayClient } from "../client/gateway-client";
import { spawn } from "node:child_process";
import { recordProcesses, stopLeftovers } from "./process-record";
import { stackLayout, type StackLayout } from "./stack-layout";
import { parseStartOptions, type StartOptions } from "./start-options";
import { randomBytes } from "node:crypto";
import { fileExists } from "../fs/file-exists";

const ROOT = join(__dirname, "..", "..");
/** The demo keystores' password. The keys are the public development keys: this protects nothing. */
export const DEMO_PASSWORD = "trackroot-demo";
const SERVICE_START_MS = 90_000;

const DemoRecordSchema = z.object({
  version: z.literal(1),
  finishedAt: z.string(),
  orders: z.array(
    z.object({ erpRef: z.string(), order: z.number(), batch: z.number(), lot: z.string(), codes: z.number() }),
  ),
  samples: z.record(
    z.enum(["genuine", "recalled", "unknown", "sold", "cloned", "counterfeit"]),
    z.object({ serial: z.string(), url: z.string().url(), note: z.string() }),
  ),
});

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A started stack: `stop` stops it; `stopped` settles with the exit code once it has stopped. */
export interface RunningStack {
  stop: () => Promise<void>;
  /** 0 after `stop`, 1 after a service exited on its own and the rest were stopped */
  stopped: Promise<number>;
}

/**
 * `npm start`: the whole ledger on this machine. A chain that keeps its state (anvil), the
 * contracts and a demo consortium on first start, then the relayer, the indexer and the
 * verification site as child processes; Ctrl-C stops them all. A second start resumes.
 */
export async function startStack(options: StartOptions, io: Io, env: NodeJS.ProcessEnv): Promise<RunningStack> {
  const layout = stackLayout(options.dataDir);
  const shown = (p: string) => (p.startsWith(ROOT) ? relative(ROOT, p) || "." : p);

  const leftovers = await stopLeftovers(layout.pids);
  if (leftovers.length) io.err(`stopped ${leftovers.join(", ")} left running by an earlier start`);
  // a finished demo is what a second start resumes from
  const finished = options.fresh ? undefined : await readDemo(layout);
  if (options.fresh) {
    await clearDataDir(layout);
    io.err(`--fresh: deleted ${shown(options.dataDir)}`);
  } else if (!finished && (await readdir(options.dataDir).catch(() => [])).length > 0) {
    io.err(`${shown(options.dataDir)} holds an unfinished first start: starting over`);
    await clearDataDir(layout);
  }
  await checkPortsFree(options.ports);
  for (const dir of [layout.dataDir, join(layout.dataDir, "chain"), layout.keysDir, layout.logsDir]) {
    await mkdir(dir, { recursive: true });
  }
  await writeFile(layout.marker, "a trackroot npm start data directory: npm start -- --fresh deletes it\n");

  // the services see only the variables the stack gives them: a DATABASE_URL or TRACKROOT_* of
  // the caller's shell must not point the demo at another database or chain
  const baseEnv: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(env).filter(([k]) => !k.startsWith("TRACKROOT_") && k !== "DATABASE_URL"),
  );
  const children: ChildService[] = [];
  const spawned: { name: string; pid: number }[] = [];
  let stopping = false;
  const stopAll = async () => {
    // services first (the relayer commits its queue while the chain still runs), the chain last
    const [chain, ...services] = children;
    await Promise.all(services.reverse().map((c) => c.stop()));
    await chain?.stop();
    await rm(layout.pids, { force: true });
  };
  const started = async (child: Promise<ChildService>) => {
    const c = await child;
    children.push(c);
    return c;
  };
  let resolveStopped: (code: number) => void = () => undefined;
  const stopped = new Promise<number>((resolve) => (resolveStopped = resolve));
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    io.err("stopping: gateways, relayer, indexer, site, then the chain (its state is saved)");
    await stopAll();
    io.err("stopped");
    resolveStopped(code);
  };
  // recorded at spawn, so a Ctrl-C during start (or a later start, after a crash) can stop them
  const onSpawn = (name: string) => async (pid: number) => {
    spawned.push({ name, pid });
    await recordProcesses(layout.pids, spawned);
  };

  try {
    const rpcUrl = `http://127.0.0.1:${options.ports.chain}`;
    const urls = {
      relayer: `http://127.0.0.1:${options.ports.relayer}`,
      indexer: `http://127.0.0.1:${options.ports.indexer}`,
      site: `http://127.0.0.1:${options.ports.site}`,
    };
    const gatewayUrl = (role: GatewayRole) =>
      `http://127.0.0.1:${options.ports.gateways + GATEWAY_ROLES.indexOf(role)}`;
    const first = !finished;
    io.err(
      first
        ? "first start: a chain, the contracts and the demo (under a minute)"
        : "resuming from " + shown(options.dataDir),
    );
    await started(
      startAnvil({
        binary: anvilBinary(),
        port: options.ports.chain,
        stateFile: layout.chainState,
        logFile: layout.log("chain"),
        cwd: layout.dataDir,
        env: baseEnv,
        onSpawn: onSpawn("chain"),
      }),
    );
    if (!first) await checkDeploymentOnChain(layout, rpcUrl);

    const cli = cliRunner({ layout, rpcUrl, siteUrl: urls.site, cwd: layout.dataDir, onSpawn });
    // each party's own encrypted keystore, named after its role (a data directory from before gets the missing ones)
    await Promise.all(
      (["governor", ...(Object.keys(CAST) as CastRole[])] as const).map(async (role) => {
        if (await fileExists(layout.keystore(role))) return;
        await writeFile(
          layout.keystore(role),
          await encryptKeystore(
            devKey(role === "governor" ? GOVERNOR_ACCOUNT : CAST[role].accountIndex),
            DEMO_PASSWORD,
            4096,
          ),
        );
      }),
    );
    if (first) {
      await Promise.all([writeFile(layout.indexerToken, randomBytes(32).toString("base64url") + "\n")]);
    }
    const token = (await readFile(layout.indexerToken, "utf8")).trim();
    // between the site and the indexer only, new each start; /metrics asks for the operator's token
    const proxyToken = randomBytes(24).toString("base64url");
    if (!(await fileExists(layout.metricsToken))) {
      await writeFile(layout.metricsToken, randomBytes(24).toString("base64url") + "\n");
    }
    const metricsToken = (await readFile(layout.metricsToken, "utf8")).trim();

    const service = (name: string, bin: string, ready: string, vars: Record<string, string>) =>
      started(
        startChildService({
          name,
          command: process.execPath,
          args: [join(ROOT, "bin", bin)],
          env: { ...baseEnv, TRACKROOT_RPC_URL: rpcUrl, TRACKROOT_DEPLOYMENT: layout.deployment, ...vars },
          cwd: layout.dataDir,
          logFile: layout.log(name),
          ready,
          timeoutMs: SERVICE_START_MS,
          onSpawn: onSpawn(name),
        }),
      );
    const startIndexerAndSite = () =>
      Promise.all([
        service("indexer", "trackroot-indexer.js", "indexer ready", {
          TRACKROOT_INDEXER_DB: layout.indexerDb,
          TRACKROOT_CONTENT_DIR: layout.contentDir,
          TRACKROOT_INDEXER_PORT: String(options.ports.indexer),
          TRACKROOT_POLL_MS: "250",
          // the site forwards the visitor's address: it counts from the site alone (loopback and the token)
          TRACKROOT_TRUSTED_PROXIES: "127.0.0.1,::1",
          TRACKROOT_PROXY_TOKEN: proxyToken,
          TRACKROOT_METRICS_TOKEN: metricsToken,
          TRACKROOT_INDEXER_TOKENS: `${participantId("auditor")}:${tokenHash(token)}`,
        }),
        service("verify-web", "trackroot-verify-web.js", "verify-web ready", {
          TRACKROOT_INDEXER_URL: urls.indexer,
          TRACKROOT_INDEXER_PROXY_TOKEN: proxyToken,
          TRACKROOT_VERIFY_PORT: String(options.ports.site),
        }),
      ]);
    const startRelayer = () =>
      service("relayer", "trackroot-relayer.js", "relayer ready", {
        TRACKROOT_RELAYER_KEYSTORE: layout.keystore("relayer"),
        TRACKROOT_RELAYER_KEYSTORE_PASSWORD: DEMO_PASSWORD,
        TRACKROOT_RELAYER_DB: layout.relayerDb,
        TRACKROOT_CONTENT_DIR: layout.contentDir,
        TRACKROOT_RELAYER_PORT: String(options.ports.relayer),
        TRACKROOT_BATCH_MAX_WAIT_MS: "300",
        TRACKROOT_METRICS_TOKEN: metricsToken,
      });

    // each recording party's gateway, with only that party's keystore; its warehouse system's API token
    await Promise.all(
      GATEWAY_ROLES.map(async (role) => {
        if (!(await fileExists(layout.gatewayToken(role)))) {
          await writeFile(layout.gatewayToken(role), randomBytes(24).toString("base64url") + "\n");
        }
      }),
    );
    const gatewayTokens = Object.fromEntries(
      await Promise.all(GATEWAY_ROLES.map(async (r) => [r, (await readFile(layout.gatewayToken(r), "utf8")).trim()])),
    ) as Record<GatewayRole, string>;
    const startGateways = () =>
      Promise.all(
        GATEWAY_ROLES.map((role) =>
          service(`gateway-${role}`, "trackroot-gateway.js", "gateway ready", {
            TRACKROOT_GATEWAY_KEYSTORE: layout.keystore(role),
            TRACKROOT_GATEWAY_KEYSTORE_PASSWORD: DEMO_PASSWORD,
            TRACKROOT_GATEWAY_DB: layout.gatewayDb(role),
            TRACKROOT_GATEWAY_PORT: new URL(gatewayUrl(role)).port,
            TRACKROOT_RELAYER_URLS: urls.relayer,
            TRACKROOT_GATEWAY_CLIENTS: `wms=${gatewayTokens[role]}`,
            TRACKROOT_GATEWAY_POLL_MS: "100",
            TRACKROOT_METRICS_TOKEN: metricsToken,
          }),
        ),
      );

    let demo: DemoRecord;
    if (first) {
      const orders = await setUpLedger({ cli, layout, log: io.err });
      await Promise.all([startIndexerAndSite(), startRelayer().then(startGateways)]);
      demo = await playSupplyChain({
        cli,
        layout,
        orders,
        gateways: Object.fromEntries(
          GATEWAY_ROLES.map((r) => [r, new GatewayClient({ url: gatewayUrl(r), token: gatewayTokens[r] })]),
        ) as Record<GatewayRole, GatewayClient>,
        relayer: new RelayerClient({ url: urls.relayer }),
        siteUrl: urls.site,
        indexerCaughtUp: () => indexerCaughtUp(urls.indexer, rpcUrl),
        log: io.err,
      });
      await writeFile(
        layout.cliConfig,
        JSON.stringify(
          {
            rpcUrl,
            deployment: layout.deployment,
            dataDir: layout.dataDir,
            linkOrigin: urls.site,
            relayerUrl: urls.relayer,
          },
          null,
          2,
        ) + "\n",
      );
      await writeFile(layout.demo, JSON.stringify(demo, null, 2) + "\n");
    } else {
      await Promise.all([startIndexerAndSite(), startRelayer().then(startGateways)]);
      demo = finished as DemoRecord;
    }

    // the parties' CLI runs have ended: the record keeps only what still runs
    await recordProcesses(layout.pids, spawned);
    for (const c of children) {
      void c.exited.then(({ code, signal }) => {
        if (!stopping) {
          io.err(`${c.name} exited unexpectedly (${signal ?? `code ${code}`}); its log: ${shown(c.logFile)}`);
          void shutdown(1);
        }
      });
    }
    printSummary({
      io,
      layout,
      urls,
      gateways: Object.fromEntries(GATEWAY_ROLES.map((r) => [r, gatewayUrl(r)])) as Record<GatewayRole, string>,
      rpcUrl,
      demo,
      token,
      shown,
      seconds: process.uptime(),
    });
  } catch (e) {
    stopping = true;
    await stopAll();
    await stopLeftovers(layout.pids);
    throw e;
  }

  return { stop: () => shutdown(0), stopped };
}

function printSummary(o: {
  io: Io;
  layout: StackLayout;
  urls: { relayer: string; indexer: string; site: string };
  gateways: Record<GatewayRole, string>;
  rpcUrl: string;
  demo: DemoRecord;
  token: string;
  shown: (p: string) => string;
  seconds: number;
}): void {
  const { io, layout, urls, demo, shown } = o;
  const s = demo.samples;
  const pad = (t: string, n: number) => t.padEnd(n);
  const lines = [
    "",
    `trackroot is running: ${demo.orders.reduce((n, x) => n + x.codes, 0)} codes of ${CAST.brand.name} released, shipped and sold on a local chain`,
    "",
    `  ${pad("chain", 13)}${pad(o.rpcUrl, 26)}anvil, chain id 31337, state in ${shown(layout.chainState)}`,
    `  ${pad("relayer", 13)}${pad(urls.relayer, 26)}POST /capture, /handovers  ·  /health /metrics /openapi.json`,
    `  ${pad("indexer", 13)}${pad(urls.indexer, 26)}GET /v1/codes/{gtin}/{serial}  ·  /health /metrics /openapi.json`,
    `  ${pad("verify site", 13)}${urls.site}`,
    ...GATEWAY_ROLES.map(
      (r) =>
        `  ${pad(`gateway ${r}`, 19)}${pad(o.gateways[r], 26)}${CAST[r].name}'s own: POST /capture (plain EPCIS), its dock's page at /`,
    ),
    "",
    "Open a code as a consumer would:",
    `  ${pad("genuine", 12)}${s.genuine.url}`,
    `  ${pad("recalled", 12)}${s.recalled.url}`,
    `  ${pad("unknown", 12)}${s.unknown.url}`,
    `  and also: sold ${s.sold.url}`,
    `            cloned (${s.cloned.note}) ${s.cloned.url}`,
    `            counterfeit (${s.counterfeit.note}) ${s.counterfeit.url}`,
    "",
    "Audit the whole ledger as a regulator would (it should find the one planted counterfeit):",
    `  ./bin/trackroot.js --config ${shown(layout.cliConfig)} audit --out ${shown(layout.auditDir)}`,
    `Record events as one of the parties, with its own keystore (${Object.keys(CAST).join(", ")}; password ${DEMO_PASSWORD}):`,
    `  TRACKROOT_KEYSTORE=${shown(layout.keystore("pharmacy"))} TRACKROOT_KEYSTORE_PASSWORD=${DEMO_PASSWORD} ./bin/trackroot.js --config ${shown(layout.cliConfig)} capture events.json --wait`,
    `Or through a party's gateway, as its warehouse system would (token in ${shown(layout.gatewayToken("pharmacy"))}):`,
    `  curl -s -H "Authorization: Bearer $(cat ${shown(layout.gatewayToken("pharmacy"))})" -H "Content-Type: application/json" --data @events.json ${o.gateways.pharmacy}/capture`,
    "Hand goods over between two companies (the receiver accepts from its own machine):",
    `  TRACKROOT_KEYSTORE=${shown(layout.keystore("south"))} TRACKROOT_KEYSTORE_PASSWORD=${DEMO_PASSWORD} ./bin/trackroot.js --config ${shown(layout.cliConfig)} handover propose --to ${CAST.pharmacy.gln} --items items.txt --shipment DESADV-0001`,
    `  TRACKROOT_KEYSTORE=${shown(layout.keystore("pharmacy"))} TRACKROOT_KEYSTORE_PASSWORD=${DEMO_PASSWORD} ./bin/trackroot.js --config ${shown(layout.cliConfig)} handover inbox`,
    "The indexer's anomalies, with the auditor's consortium token:",
    `  curl -s -H "Authorization: Bearer $(cat ${shown(layout.indexerToken)})" ${urls.indexer}/v1/anomalies`,
    "Each service's metrics, with the operator's token:",
    `  curl -s -H "Authorization: Bearer $(cat ${shown(layout.metricsToken)})" ${urls.relayer}/metrics`,
    "",
    `Logs in ${shown(layout.logsDir)}. Ctrl-C stops everything; npm start again resumes; npm start -- --fresh starts over.`,
    `ready in ${o.seconds.toFixed(1)} s`,
  ];
  for (const l of lines) io.out(l);
}

/**
 * Runs the `trackroot` CLI against the stack, signing as a cast member, --json output parsed. The
 * consortium's governance runs it in this process (it deploys and registers before any party
 * exists); a party runs it as its own process, given its own keystore and nothing else.
 */
function cliRunner(o: {
  layout: StackLayout;
  rpcUrl: string;
  siteUrl: string;
  cwd: string;
  onSpawn: (name: string) => (pid: number) => void;
}): RunCli {
  return async (argv, role) => {
    const env = {
      TRACKROOT_RPC_URL: o.rpcUrl,
      TRACKROOT_KEYSTORE: o.layout.keystore(role),
      TRACKROOT_KEYSTORE_PASSWORD: DEMO_PASSWORD,
      TRACKROOT_DATA_DIR: o.layout.dataDir,
      TRACKROOT_DEPLOYMENTS_DIR: o.layout.deploymentsDir,
      TRACKROOT_LINK_ORIGIN: o.siteUrl,
    };
    if (role === "governor") {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(["--json", ...argv], {
        io: { out: (l) => out.push(l), err: (l) => err.push(l) },
        env,
        cwd: o.cwd,
      });
      if (code !== 0) throw new Error(`trackroot ${argv.join(" ")} failed (exit ${code}): ${err.join("\n")}`);
      return JSON.parse(out[out.length - 1] ?? "{}") as Record<string, unknown>;
    }
    const { code, stdout, stderr } = await runProcess({
      command: process.execPath,
      args: [join(ROOT, "bin", "trackroot.js"), "--json", ...argv],
      // the party's own environment: its keystore, no other (the parent's TRACKROOT_* are not passed on)
      env: { ...withoutTrackroot(process.env), ...env },
      cwd: o.cwd,
      onSpawn: o.onSpawn(`cli-${role}`),
    });
    if (code !== 0) throw new Error(`trackroot ${argv.join(" ")} as ${role} failed (exit ${code}): ${stderr}`);
    const lines = stdout.trim().split("\n");
    return JSON.parse(lines[lines.length - 1] || "{}") as Record<string, unknown>;
  };
}

function withoutTrackroot(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("TRACKROOT_")));
}

/** Runs a program to its end, collecting what it prints. */
function runProcess(o: {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  onSpawn: (pid: number) => void;
}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.command, o.args, { env: o.env, cwd: o.cwd, stdio: ["ignore", "pipe", "pipe"] });
    if (child.pid) o.onSpawn(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function readDemo(layout: StackLayout): Promise<DemoRecord | undefined> {
  try {
    return DemoRecordSchema.parse(JSON.parse(await readFile(layout.demo, "utf8"))) as DemoRecord;
  } catch {
    return undefined;
  }
}

/**
 * Deletes the data directory, but only one this stack made (it holds the marker) or an empty one:
 * a mistyped --data-dir must never cost anyone their files.
 */
async function clearDataDir(layout: StackLayout): Promise<void> {
  const entries = await readdir(layout.dataDir).catch(() => undefined);
  if (entries === undefined || entries.length === 0) return;
  const ours = await stat(layout.marker).then(
    () => true,
    () => false,
  );
  if (!ours) {
    throw new StackError(
      `${layout.dataDir} is not empty and was not made by npm start (no ${basename(layout.marker)}): choose another --data-dir`,
    );
  }
  await rm(layout.dataDir, { recursive: true, force: true });
}

/** Refuses to start when a port is taken, naming it (usually another `npm start`). */
async function checkPortsFree(ports: StartOptions["ports"]): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (!free) {
      throw new StackError(
        `port ${port} (${name}) is in use: is another npm start running? Stop it, or pick other ports with --base-port`,
      );
    }
  }
}

/** After a restart the chain must still hold the deployment the data directory records. */
async function checkDeploymentOnChain(layout: StackLayout, rpcUrl: string): Promise<void> {
  const deployment = await readDeployment(layout.deployment);
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });
  const code = await client.getCode({ address: deployment.contracts.SerialRegistry.address });
  if (!code || code === "0x") {
    throw new StackError(
      `the chain state in ${layout.chainState} does not hold the deployment of ${layout.deployment}: run npm start -- --fresh`,
    );
  }
}

/** Waits until the indexer has applied the chain up to its current head, content and lifecycle included. */
async function indexerCaughtUp(indexerUrl: string, rpcUrl: string, timeoutMs = 60_000): Promise<void> {
  const head = Number(await createPublicClient({ transport: http(rpcUrl) }).getBlockNumber({ cacheTime: 0 }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${indexerUrl}/health`)).json()) as {
      indexedBlock: number | null;
      pendingContent: number | null;
      pendingLifecycle: number | null;
    };
    if ((health.indexedBlock ?? -1) >= head && health.pendingContent === 0 && health.pendingLifecycle === 0) return;
    if (Date.now() > deadline)
      throw new StackError(`the indexer did not catch up with block ${head} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Why the stack cannot start, in words (printed without a stack trace). */
export class StackError extends TrackrootError {
  override name = "StackError";
}

/** The entry of bin/trackroot-start.js. */
export function main(): void {
  const io: Io = { out: (l) => process.stdout.write(l + "\n"), err: (l) => process.stderr.write(l + "\n") };
  let options: StartOptions | undefined;
  try {
    options = parseStartOptions(process.argv.slice(2), { cwd: process.cwd(), out: (t) => process.stdout.write(t) });
  } catch (e) {
    io.err((e as Error).message);
    process.exit(1);
  }
  if (!options) return;
  // a Ctrl-C during start stops what has started at once; an unfinished first start begins again next time
  const pids = stackLayout(options.dataDir).pids;
  let stop: RunningStack["stop"] | undefined;
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stop) return void stop();
      if (interrupted) return;
      interrupted = true;
      io.err(`${signal} during start: stopping what has started`);
      void stopLeftovers(pids).finally(() => process.exit(130));
    });
  }
  startStack(options, io, process.env).then(
    (stack) => {
      stop = stack.stop;
      void stack.stopped.then((code) => process.exit(code));
    },
    (e) => {
      io.err(e instanceof TrackrootError ? e.message : `could not start: ${(e as Error).stack ?? String(e)}`);
      process.exit(1);
    },
  );
}
