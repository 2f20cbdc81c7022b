import {
  createPublicClient,
  createWalletClient,
  publicActions,
  getContract,
  http,
  type Account,
  type Chain,
  type Hash,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
  type ContractEventName,
  type GetContractEventsParameters,
} from "viem";
import { commitmentLogAbi, participantRegistryAbi, serialRegistryAbi } from "./abis";
import type { Deployment } from "./deployment";
import { feeOverrides, type FeeMode } from "./fee-mode";
import { logRangeReader } from "./log-ranges";
import { explainChainError } from "./revert";
import { UnavailableError, ValidationError } from "../core/errors";

/** A transaction's fees: EIP-1559 fields, or a legacy gas price (zero on permissioned networks). */
export type TransactionFees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { gasPrice: bigint };

export interface LedgerOptions {
  rpcUrl: string;
  deployment: Deployment;
  /** the signer; read-only without one */
  account?: Account;
  /** default "auto" */
  fees?: FeeMode;
}

/** A chain of the deployment's id, for viem (the permissioned networks are not in viem's list). */
export function chainOf(chainId: number, rpcUrl: string): Chain {
  return {
    id: chainId,
    name: `trackroot-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  };
}

/**
 * The contracts of one deployment, over viem. Writes are simulated first, so a refusal comes back
 * as the contract's named error before anything is signed, then sent and awaited to a receipt.
 */
export class Ledger {
  readonly publicClient: PublicClient;
  readonly walletClient?: WalletClient;
  readonly registry;
  readonly serials;
  readonly commitmentLog;

  constructor(readonly options: LedgerOptions) {
    const { rpcUrl, deployment, account } = options;
    const chain = chainOf(deployment.chainId, rpcUrl);
    const transport = http(rpcUrl, { retryCount: 0, timeout: 30_000 });
    this.publicClient = createPublicClient({ chain, transport });
    if (account) this.walletClient = createWalletClient({ chain, transport, account });
    // viem's contract.simulate does not take the wallet's account: a reading client that carries the
    // account makes every simulation run as the signer, so it refuses what the chain would refuse
    const reader = account
      ? (createWalletClient({ chain, transport, account }).extend(publicActions) as unknown as PublicClient)
      : this.publicClient;
    const client = { public: reader, ...(this.walletClient ? { wallet: this.walletClient } : {}) };
    const c = deployment.contracts;
    this.registry = getContract({
      address: c.ParticipantRegistry.address,
      abi: participantRegistryAbi,
      client,
    });
    this.serials = getContract({ address: c.SerialRegistry.address, abi: serialRegistryAbi, client });
    this.commitmentLog = getContract({ address: c.CommitmentLog.address, abi: commitmentLogAbi, client });
  }

  /** Checks the node serves the deployment's chain (a wrong RPC URL must not sign for another chain). */
  async checkChain(): Promise<void> {
    const id = await this.read(() => this.publicClient.getChainId());
    if (id !== this.options.deployment.chainId) {
      throw new ValidationError(
        "rpcUrl",
        this.options.rpcUrl,
        `serves chain ${id}, the deployment is for chain ${this.options.deployment.chainId}`,
      );
    }
  }

  /**
   * The SerialRegistry's `eventName` events (filtered by `args`) from its deployment block to the
   * head, read in parts a node that caps eth_getLogs answers (src/chain/log-ranges.ts).
   */
  async serialsEvents<const N extends ContractEventName<typeof serialRegistryAbi>>(
    eventName: N,
    args?: GetContractEventsParameters<typeof serialRegistryAbi, N>["args"],
  ) {
    const from = this.options.deployment.contracts.SerialRegistry.block;
    const head = Number(await this.read(() => this.publicClient.getBlockNumber({ cacheTime: 0 })));
    const reader = logRangeReader((fromBlock, toBlock) =>
      this.publicClient.getContractEvents({
        address: this.serials.address,
        abi: serialRegistryAbi,
        eventName,
        args,
        fromBlock: BigInt(fromBlock),
        toBlock: BigInt(toBlock),
        strict: true,
      }),
    );
    return this.read(() => reader.read(from, head));
  }

  /** A read, with the node's failures explained. */
  async read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      throw explainChainError(e, this.options.rpcUrl);
    }
  }

  /** Simulates, sends and awaits one contract write; returns its receipt and the simulated result. */
  async write<T>(
    simulate: () => Promise<{ result: T; request: unknown }>,
  ): Promise<{ result: T; receipt: TransactionReceipt; hash: Hash }> {
    if (!this.walletClient)
      throw new ValidationError("keystore", undefined, "this command signs: configure a keystore");
    try {
      const { result, request } = await simulate();
      const hash = await this.walletClient.writeContract({
        ...(request as Parameters<WalletClient["writeContract"]>[0]),
        ...feeOverrides(this.options.fees),
      } as Parameters<WalletClient["writeContract"]>[0]);
      const receipt = await this.publicClient.waitForTransactionReceipt({ hash, timeout: 120_000 });
      if (receipt.status !== "success") throw new UnavailableError(`transaction ${hash} reverted on chain`);
      return { result, receipt, hash };
    } catch (e) {
      throw explainChainError(e, this.options.rpcUrl);
    }
  }

  /**
   * Simulates and sends one contract write without waiting for it: whoever sends watches for the
   * receipt itself. `nonce` and `fees` replace a transaction still pending under that nonce.
   */
  async send(
    simulate: () => Promise<{ request: unknown }>,
    overrides: { nonce?: number; fees?: TransactionFees } = {},
  ): Promise<{ hash: Hash; nonce: number }> {
    const wallet = this.walletClient;
    if (!wallet) throw new ValidationError("keystore", undefined, "this command signs: configure a keystore");
    try {
      const { request } = await simulate();
      const nonce =
        overrides.nonce ??
        (await this.publicClient.getTransactionCount({ address: this.account.address, blockTag: "pending" }));
      const hash = await wallet.writeContract({
        ...(request as Parameters<WalletClient["writeContract"]>[0]),
        nonce,
        ...(overrides.fees ?? feeOverrides(this.options.fees)),
      } as Parameters<WalletClient["writeContract"]>[0]);
      return { hash, nonce };
    } catch (e) {
      throw explainChainError(e, this.options.rpcUrl);
    }
  }

  get account(): Account {
    const a = this.walletClient?.account;
    if (!a) throw new ValidationError("keystore", undefined, "this command signs: configure a keystore");
    return a;
  }
}
