import type { Address } from "viem";
import { UnavailableError } from "../core/errors";
import type { KeyRegistry } from "./key-checks";

type Standing = Awaited<ReturnType<KeyRegistry["keyStanding"]>>;

export interface KeyStandingCacheOptions {
  /** how long an answer is used without asking again (0: ask every time) */
  ttlMs: number;
  /** while the chain cannot be reached, an answer this old is still used */
  staleIfErrorMs: number;
  now?: () => number;
}

/**
 * The registry's answers about keys, cached: a revocation takes effect here within `ttlMs`, and
 * while the chain is down, keys seen within `staleIfErrorMs` are still accepted, so captures keep
 * being acknowledged. A stale answer cannot make a revoked key's capture valid: the indexer and
 * the audit check every signer's key as it stood at the commitment's block.
 */
export class KeyStandingCache implements KeyRegistry {
  private readonly answers = new Map<string, { standing: Standing; at: number }>();

  constructor(
    private readonly registry: KeyRegistry,
    private readonly options: KeyStandingCacheOptions,
  ) {}

  async keyStanding(key: Address): Promise<Standing> {
    const now = (this.options.now ?? Date.now)();
    const id = key.toLowerCase();
    const known = this.answers.get(id);
    if (known && now - known.at < this.options.ttlMs) return known.standing;
    try {
      const standing = await this.registry.keyStanding(key);
      this.answers.set(id, { standing, at: now });
      return standing;
    } catch (e) {
      if (known && now - known.at < this.options.staleIfErrorMs) return known.standing;
      throw new UnavailableError(`the participant registry cannot be read to check ${key}: ${(e as Error).message}`);
    }
  }
}
