/**
 * How transactions pay for gas: "auto" as the node suggests (EIP-1559 where it has a base fee), or
 * "zero" on a permissioned network without gas prices (Besu/GoQuorum with --min-gas-price=0): legacy
 * transactions at gas price 0, so keys that hold no ether can send, and no library default adds a tip.
 */
export const FEE_MODES = ["auto", "zero"] as const;
export type FeeMode = (typeof FEE_MODES)[number];

/** What a transaction adds for its fees under `mode`: nothing (the node's suggestion), or a zero legacy gas price. */
export function feeOverrides(mode: FeeMode | undefined): { gasPrice?: bigint } {
  return mode === "zero" ? { gasPrice: 0n } : {};
}
