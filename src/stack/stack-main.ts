import { createServer } from "node:net";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { createPublicClient, http } from "viem";
import { z } from "zod";
import { readDeployment } from "../chain/deployment";
import { RelayerClient } from "../client/relayer-client";
import { runCli } from "../cli/main";
import { TrackrootError } from "../core/errors";
import { anvilBinary, startAnvil } from "./anvil-node";
import { CAST } from "./demo-cast";
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
import { stopLeftovers } from "./process-record";
import { StackProcesses } from "./stack-processes";
import { DEMO_PASSWORD, stackSecrets, type StackSecrets } from "./stack-secrets";
import { stackServices, stackUrls, type StackUrls } from "./stack-services";
import { stackLayout, type StackLayout } from "./stack-layout";
import { parseStartOptions, type StartOptions } from "./start-options";

const ROOT = join(__dirname, "..", "..");
export { DEMO_PASSWORD } from "./stack-secrets";

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
 * verification site as child processes; Ctrl-C stops them all. A second start resumes. Stages:
 * the data directory, the chain, the parties' keys and tokens, the services, the demo (first
 * start only), the summary.
 */
export async function startStack(options: StartOptions, io: Io, env: NodeJS.ProcessEnv): Promise<RunningStack> {
  const layout = stackLayout(options.dataDir);
  const shown = (p: string) => (p.startsWith(ROOT) ? relative(ROOT, p) || "." : p);
  const finished = await prepareDataDir(layout, options, io, shown);
  const first = !finished;

  // the services see only the variables the stack gives them: a DATABASE_URL or TRACKROOT_* of
  // the caller's shell must not point the demo at another database or chain
  const baseEnv: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(env).filter(([k]) => !k.startsWith("TRACKROOT_") && k !== "DATABASE_URL"),
  );
  const processes = new StackProcesses(layout.pids, io.err);
  try {
    const urls = stackUrls(options.ports);
    io.err(
      first
        ? "first start: a chain, the contracts and the demo (under a minute)"
        : "resuming from " + shown(options.dataDir),
    );
    await processes.started(
      startAnvil({
        binary: anvilBinary(),
        port: options.ports.chain,
        stateFile: layout.chainState,
        logFile: layout.log("chain"),
        cwd: layout.dataDir,
        env: baseEnv,
        onSpawn: processes.onSpawn("chain"),
      }),
    );
    if (!first) await checkDeploymentOnChain(layout, urls.rpc);
    const secrets = await stackSecrets(layout);
    const services = stackServices({ processes, layout, baseEnv, urls, secrets });
    const cli = cliRunner({
      layout,
      rpcUrl: urls.rpc,
      siteUrl: urls.site,
      cwd: layout.dataDir,
      onSpawn: processes.onSpawn,
    });
    const orders = first ? await setUpLedger({ cli, layout, log: io.err }) : undefined;
    await Promise.all([services.indexerAndSite(), services.relayer().then(services.gateways)]);
    const demo = orders ? await playDemo({ cli, layout, orders, urls, secrets, io }) : (finished as DemoRecord);

    // the parties' CLI runs have ended: the record keeps only what still runs
    await processes.recordRunning();
    processes.watch(shown);
    printSummary({
      io,
      layout,
      urls,
      gateways: Object.fromEntries(GATEWAY_ROLES.map((r) => [r, urls.gateway(r)])) as Record<GatewayRole, string>,
      rpcUrl: urls.rpc,
      demo,
      token: secrets.indexerToken,
      shown,
      seconds: process.uptime(),
    });
  } catch (e) {
    await processes.abort();
    await stopLeftovers(layout.pids);
    throw e;
  }
  return { stop: () => processes.shutdown(0), stopped: processes.stopped };
}

/**
 * The data directory, ready for a start: leftovers of an earlier start stopped, cleared on --fresh
 * or after an unfinished first start, the ports checked free. Answers the finished demo a second
 * start resumes from, or undefined for a first start.
 */
async function prepareDataDir(
  layout: StackLayout,
  options: StartOptions,
  io: Io,
  shown: (p: string) => string,
): Promise<DemoRecord | undefined> {
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
  return finished;
}

/** The first start's demo through the parties' own gateways and CLI runs; written down for later starts. */
async function playDemo(o: {
  cli: RunCli;
  layout: StackLayout;
  orders: Awaited<ReturnType<typeof setUpLedger>>;
  urls: StackUrls;
  secrets: StackSecrets;
  io: Io;
}): Promise<DemoRecord> {
  const { layout, urls } = o;
  const demo = await playSupplyChain({
    cli: o.cli,
    layout,
    orders: o.orders,
    gateways: Object.fromEntries(
      GATEWAY_ROLES.map((r) => [r, new GatewayClient({ url: urls.gateway(r), token: o.secrets.gatewayTokens[r] })]),
    ) as Record<GatewayRole, GatewayClient>,
    relayer: new RelayerClient({ url: urls.relayer }),
    siteUrl: urls.site,
    indexerCaughtUp: () => indexerCaughtUp(urls.indexer, urls.rpc),
    log: o.io.err,
  });
  const cliConfig = {
    rpcUrl: urls.rpc,
    deployment: layout.deployment,
    dataDir: layout.dataDir,
    linkOrigin: urls.site,
    relayerUrl: urls.relayer,
  };
  await writeFile(layout.cliConfig, JSON.stringify(cliConfig, null, 2) + "\n");
  await writeFile(layout.demo, JSON.stringify(demo, null, 2) + "\n");
  return demo;
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
