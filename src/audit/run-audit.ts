import { getAbiItem, toFunctionSelector, type Hex } from "viem";
import { serialRegistryAbi } from "../chain/abis";
import type { ChainSource, FailedCall } from "../chain/chain-source";
import { contractAddresses, type ContractAddresses, type Deployment } from "../chain/deployment";
import type { ContentStore } from "../content/content-store";
import type { Coordinates } from "../core/lifecycle/geo";
import { AuditState, stateDigest } from "./audit-state";
import { CannotAuditError } from "./cannot-audit-error";
import { ContentPrefetch } from "./content-prefetch";
import { LeafIndex } from "./leaf-index";
import { LedgerAudit } from "./ledger-audit";
import { decodeLedgerLogs, ledgerOrder, type LedgerEventAt } from "./ledger-log";
import { buildReport } from "./report";
import type { AuditReport, Checkpoint } from "./report-schema";

/** What the audit reads the chain through: logs and headers, the chain id, and the calls it refused. */
export interface AuditChain extends ChainSource {
  chainId(): Promise<number>;
  failedCalls(options: {
    to: `0x${string}`;
    selectors: readonly Hex[];
    from: number;
    toBlock: number;
    onBlocks?: (done: number) => void;
  }): Promise<FailedCall[]>;
}

export interface RunAuditOptions {
  chain: AuditChain;
  content: ContentStore;
  deployment: Deployment;
  /** a previous report and its saved state, to continue from its checkpoint */
  resume?: { report: AuditReport; stateText: string };
  /** audit up to this block (default: the head) */
  toBlock?: number;
  /** look for release attempts the contract refused (reads every block); default true */
  refusals?: boolean;
  sites?: Readonly<Record<string, Coordinates>>;
  maxSpeedKmh?: number;
  /** the state file's name, recorded in the checkpoint */
  stateFile: string;
  /** blocks per log query */
  logChunk?: number;
  progress?: (phase: string, done: number, total: number) => void;
  now?: () => Date;
}

export interface AuditOutcome {
  report: AuditReport;
  /** the replayed state's JSON, to save beside the report as its checkpoint's state */
  stateText: string;
}

const RELEASE_SELECTOR = toFunctionSelector(getAbiItem({ abi: serialRegistryAbi, name: "releaseBatch" }));

/**
 * Replays the ledger from the chain and the content store alone and checks every invariant: from
 * the deployment (or a verified checkpoint) to the head. Throws CannotAuditError when a source
 * cannot be read or a checkpoint does not agree with the chain; violations are in the report.
 */
export async function runAudit(options: RunAuditOptions): Promise<AuditOutcome> {
  const { chain, deployment } = options;
  const progress = options.progress ?? (() => undefined);
  const contracts = contractAddresses(deployment);
  const chainId = await chain.chainId();
  if (chainId !== deployment.chainId) {
    throw new CannotAuditError(
      `the chain node serves chain ${chainId}; the deployment is on chain ${deployment.chainId}`,
    );
  }
  const leaves = new LeafIndex();
  let state: AuditState;
  let fromBlock: number;
  let since: AuditReport["since"];
  if (options.resume) {
    ({ state, since } = await resumeFrom(options, contracts, chainId));
    fromBlock = options.resume.report.chain.fromBlock;
    await reindexLeaves(state, leaves, options);
  } else {
    state = new AuditState();
    const c = deployment.contracts;
    fromBlock = Math.min(c.ParticipantRegistry.block, c.SerialRegistry.block, c.CommitmentLog.block);
    state.block = fromBlock - 1;
  }
  const head = options.toBlock ?? (await chain.head());
  if (head < state.block) {
    throw new CannotAuditError(`the chain's head is block ${head}, behind the checkpoint's block ${state.block}`);
  }
  const start = state.block + 1;
  const logs: LedgerEventAt[] = [];
  const chunk = options.logChunk ?? 5000;
  for (let from = start; from <= head; from += chunk) {
    const to = Math.min(head, from + chunk - 1);
    logs.push(...decodeLedgerLogs(await chain.logs(from, to), contracts));
    progress("blocks", to - start + 1, head - start + 1);
  }
  const refused =
    options.refusals === false || head < start
      ? []
      : await chain.failedCalls({
          to: contracts.serials,
          selectors: [RELEASE_SELECTOR],
          from: start,
          toBlock: head,
          onBlocks: (done) => progress("refused calls", done, head - start + 1),
        });
  const items = ledgerOrder(logs, refused);
  const wanted = items.map((item) => LedgerAudit.contentOf(item));
  const prefetch = new ContentPrefetch({
    store: options.content,
    wanted: wanted.filter((w): w is { cid: string; what: string } => w !== undefined),
  });
  const audit = new LedgerAudit({
    state,
    leaves,
    chainId,
    contracts,
    sites: options.sites ?? {},
    maxSpeedKmh: options.maxSpeedKmh ?? 1000,
  });
  let fetched = 0;
  for (const [i, item] of items.entries()) {
    await audit.apply(item, wanted[i] ? await prefetch.take(fetched++) : undefined);
    progress("ledger", i + 1, items.length);
  }
  state.block = head;
  const header = await chain.block(head);
  const stateText = JSON.stringify(state);
  const checkpoint: Checkpoint = {
    block: head,
    blockHash: header.hash.toLowerCase(),
    stateDigest: stateDigest(stateText),
    stateFile: options.stateFile,
  };
  const report = buildReport({
    state,
    chainId,
    contracts,
    fromBlock,
    checkpoint,
    ...(since ? { since } : {}),
    generatedAt: (options.now ?? (() => new Date()))(),
  });
  return { report, stateText };
}

/** The saved state of a checkpoint, after checking it is the checkpoint's and the chain still agrees. */
async function resumeFrom(
  options: RunAuditOptions,
  contracts: ContractAddresses,
  chainId: number,
): Promise<{ state: AuditState; since: NonNullable<AuditReport["since"]> }> {
  const { report, stateText } = options.resume as NonNullable<RunAuditOptions["resume"]>;
  const cp = report.checkpoint;
  if (report.chain.chainId !== chainId) {
    throw new CannotAuditError(`the checkpoint is of chain ${report.chain.chainId}, the node serves chain ${chainId}`);
  }
  for (const name of ["registry", "serials", "log"] as const) {
    if (report.chain.contracts[name] !== contracts[name]) {
      throw new CannotAuditError(
        `the checkpoint is of another deployment (its ${name} contract is ${report.chain.contracts[name]})`,
      );
    }
  }
  const digest = stateDigest(stateText);
  if (digest !== cp.stateDigest) {
    throw new CannotAuditError(
      `the state file's digest is ${digest}; the checkpoint recorded ${cp.stateDigest}: it was altered or is another run's`,
    );
  }
  let header;
  try {
    header = await options.chain.block(cp.block);
  } catch (e) {
    throw new CannotAuditError(`the chain has no block ${cp.block} of the checkpoint: ${(e as Error).message}`);
  }
  if (header.hash.toLowerCase() !== cp.blockHash) {
    throw new CannotAuditError(
      `the chain's block ${cp.block} is ${header.hash}; the checkpoint recorded ${cp.blockHash}: the chain was rewritten since, audit it from the start`,
    );
  }
  let state: AuditState;
  try {
    state = AuditState.fromJSON(JSON.parse(stateText));
  } catch (e) {
    throw new CannotAuditError(`the state file is not a saved audit state: ${(e as Error).message.split("\n")[0]}`);
  }
  if (state.block !== cp.block) {
    throw new CannotAuditError(`the state file stops at block ${state.block}; the checkpoint at block ${cp.block}`);
  }
  return { state, since: { block: cp.block, blockHash: cp.blockHash, stateDigest: cp.stateDigest } };
}

/** Reads the leaf files of the batches a checkpoint's state holds, to know which codes were released. */
async function reindexLeaves(state: AuditState, leaves: LeafIndex, options: RunAuditOptions): Promise<void> {
  const batches = [...state.batches].filter(([, b]) => b.leavesValid);
  const prefetch = new ContentPrefetch({
    store: options.content,
    wanted: batches.map(([id, b]) => ({ cid: b.cid, what: `batch ${id}'s leaf file` })),
  });
  for (const [i, [id, batch]] of batches.entries()) {
    const problem = LedgerAudit.reindex(leaves, id, batch, await prefetch.take(i));
    if (problem) throw new CannotAuditError(`batch ${id}'s leaf file no longer matches the checkpoint: ${problem}`);
    options.progress?.("leaf files", i + 1, batches.length);
  }
}
