import type { Hash, PublicClient, WalletClient } from "viem";
import {
  commitmentLogAbi,
  commitmentLogBytecode,
  participantRegistryAbi,
  participantRegistryBytecode,
  serialRegistryAbi,
  serialRegistryBytecode,
} from "./abis";
import type { Deployment } from "./deployment";
import { UnavailableError, ValidationError } from "../core/errors";
import { feeOverrides, type FeeMode } from "./fee-mode";

export interface DeployOptions {
  publicClient: PublicClient;
  walletClient: WalletClient;
  /** who holds GOVERNOR_ROLE (a multisig or timelock in production); default the deployer */
  governor?: `0x${string}`;
  network?: string;
  /** default "auto"; "zero" on a network without gas prices */
  fees?: FeeMode;
}

/** Deploys ParticipantRegistry, SerialRegistry and CommitmentLog, wired to each other. */
export async function deployContracts(options: DeployOptions): Promise<Deployment> {
  const { publicClient, walletClient } = options;
  const account = walletClient.account;
  if (!account) throw new ValidationError("keystore", undefined, "deploying signs: configure a keystore");
  const chain = walletClient.chain;
  const governor = options.governor ?? account.address;
  const mined = async (hash: Hash) => {
    const r = await publicClient.waitForTransactionReceipt({ hash, timeout: 120_000 });
    if (r.status !== "success" || !r.contractAddress) throw new UnavailableError(`deployment ${hash} failed`);
    return { address: r.contractAddress, block: Number(r.blockNumber), transaction: hash };
  };
  const registry = await mined(
    await walletClient.deployContract({
      abi: participantRegistryAbi,
      bytecode: participantRegistryBytecode,
      args: [governor],
      account,
      chain,
      ...feeOverrides(options.fees),
    }),
  );
  const registryAddress = registry.address as `0x${string}`;
  const serials = await mined(
    await walletClient.deployContract({
      abi: serialRegistryAbi,
      bytecode: serialRegistryBytecode,
      args: [registryAddress],
      account,
      chain,
      ...feeOverrides(options.fees),
    }),
  );
  const log = await mined(
    await walletClient.deployContract({
      abi: commitmentLogAbi,
      bytecode: commitmentLogBytecode,
      args: [registryAddress],
      account,
      chain,
      ...feeOverrides(options.fees),
    }),
  );
  return {
    chainId: await publicClient.getChainId(),
    ...(options.network ? { network: options.network } : {}),
    governor,
    contracts: { ParticipantRegistry: registry, SerialRegistry: serials, CommitmentLog: log },
  };
}
