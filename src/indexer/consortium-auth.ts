import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { UnauthorizedError } from "../core/errors";
import { signedRequestMessage, signerOfRequest } from "../http/signed-request";
import { keyStandingAt } from "./content-checker";
import type { IndexerStore } from "./indexer-store";
import type { ReplayGuard } from "../http/replay-guard";

export interface ConsortiumAuthOptions {
  store: IndexerStore;
  /** sha256 (hex) of each issued token, to the participant it was issued to */
  tokens: ReadonlyMap<string, number>;
  /** how far a signed request's timestamp may be from this clock */
  maxSkewSeconds: number;
  /** signed requests already served (each is usable once) */
  replays: ReplayGuard;
  now?: () => number;
}

/** What a consortium member's client signs (EIP-191 personal message) to read the indexer. */
export function requestMessage(method: string, path: string, timestamp: number, nonce: string): string {
  return signedRequestMessage("trackroot-indexer", method, path, timestamp, nonce);
}

export function tokenHash(token: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(token)));
}

/**
 * Who is asking, for the consortium-only endpoints: a bearer token issued to a participant, or a
 * request signed by a key the registry (as indexed) holds active. Anything else is refused.
 */
export class ConsortiumAuth {
  constructor(private readonly options: ConsortiumAuthOptions) {}

  async participantOf(request: {
    method: string;
    path: string;
    authorization?: string;
    key?: string;
    timestamp?: string;
    nonce?: string;
    signature?: string;
  }): Promise<number> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? "");
    if (bearer) {
      const participant = this.options.tokens.get(tokenHash(bearer[1]));
      if (participant === undefined) throw new UnauthorizedError("the bearer token was not issued by this indexer");
      return participant;
    }
    if (!request.key && !request.signature && !request.timestamp) {
      throw new UnauthorizedError(
        "consortium only: send Authorization: Bearer <token>, or Trackroot-Key, Trackroot-Timestamp, Trackroot-Nonce and Trackroot-Signature",
      );
    }
    const signer = await signerOfRequest(
      { ...request, service: "trackroot-indexer" },
      {
        maxSkewSeconds: this.options.maxSkewSeconds,
        now: this.options.now ?? Date.now,
        replays: this.options.replays,
      },
    );
    const cursor = await this.options.store.cursor();
    const standing = await keyStandingAt(this.options.store.db, signer, cursor?.number ?? 0);
    if (!standing.active) throw new UnauthorizedError(`${signer} is not an active key of a registered participant`);
    return standing.participant;
  }
}
