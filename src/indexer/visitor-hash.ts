import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";

/** A visitor's address as the indexer keeps it: salted and hashed, never the address itself. */
export function visitorHash(address: string, salt = ""): string {
  const salted = `trackroot-client\n${salt}\n${address}`;
  return bytesToHex(sha256(new TextEncoder().encode(salted))).slice(0, 16);
}
