import type { LocalAccount } from "viem";

/**
 * What a participant's client needs of its key: its address, and signatures over EIP-712 typed
 * data (captures, handovers) and EIP-191 messages (signed requests). A viem local account (a
 * decrypted keystore) is one; a remote signing service or an HSM behind the same three members is
 * another, and nothing else changes.
 */
export type Signer = Pick<LocalAccount, "address" | "signTypedData" | "signMessage">;
