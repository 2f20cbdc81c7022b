import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createPublicClient, http } from "viem";
import { readDeployment } from "../chain/deployment";
import { accountFromKeystore } from "../chain/keystore";
import { Ledger } from "../chain/ledger";
import { explainChainError } from "../chain/revert";
import type { ContentStore } from "../content/content-store";
import { openContentStore } from "../content/open-content-store";
import { WorkerPool } from "../compute/worker-pool";
import { ValidationError } from "../core/errors";
import type { Config } from "./config";
import type { CliIo } from "./io";

/** Reads a secret from the terminal; undefined when there is none to ask on. */
export type PasswordPrompt = (question: string) => Promise<string | undefined>;

/** What commands share: the parsed configuration and lazily built adapters, closed at exit. */
export class CliContext {
  private pool?: WorkerPool;
  private content?: ContentStore;

  readonly config: Config;
  readonly io: CliIo;
  /** machine-readable output */
  readonly json: boolean;
  /** the directory relative paths on the command line are resolved against */
  readonly cwd: string;
  private readonly prompt: PasswordPrompt;

  constructor(options: { config: Config; io: CliIo; prompt: PasswordPrompt; json?: boolean; cwd: string }) {
    this.config = options.config;
    this.io = options.io;
    this.prompt = options.prompt;
    this.json = options.json ?? false;
    this.cwd = options.cwd;
  }

  /** The chain id the configured node serves. */
  async chainId(): Promise<number> {
    const client = createPublicClient({ transport: http(this.config.rpcUrl, { retryCount: 0, timeout: 15_000 }) });
    try {
      return await client.getChainId();
    } catch (e) {
      throw explainChainError(e, this.config.rpcUrl);
    }
  }

  /** Where this chain's deployment file is (configured, or <deploymentsDir>/<chainId>.json). */
  async deploymentPath(): Promise<string> {
    return this.config.deployment ?? join(this.config.deploymentsDir, `${await this.chainId()}.json`);
  }

  /** The ledger of the configured deployment; with the keystore's signer when `sign`. */
  async ledger(sign: boolean): Promise<Ledger> {
    const deployment = await readDeployment(await this.deploymentPath());
    const ledger = new Ledger({
      rpcUrl: this.config.rpcUrl,
      deployment,
      fees: this.config.fees,
      ...(sign ? { account: await this.account() } : {}),
    });
    await ledger.checkChain();
    return ledger;
  }

  /** The signer, decrypted from the configured keystore. */
  async account() {
    const path = this.config.keystore;
    if (!path)
      throw new ValidationError(
        "keystore",
        undefined,
        "this command signs: set TRACKROOT_KEYSTORE or keystore in trackroot.config.json",
      );
    let json: string;
    try {
      json = await readFile(path, "utf8");
    } catch (e) {
      throw new ValidationError("keystore", path, `cannot be read (${(e as NodeJS.ErrnoException).code})`);
    }
    const password = this.config.keystorePassword ?? (await this.prompt(`password for ${path}: `));
    if (password === undefined) {
      throw new ValidationError(
        "TRACKROOT_KEYSTORE_PASSWORD",
        undefined,
        "is required when there is no terminal to ask on",
      );
    }
    return accountFromKeystore(json, password, path);
  }

  contentStore(): ContentStore {
    this.content ??= openContentStore({
      ipfsApiUrl: this.config.ipfsApiUrl,
      dir: join(this.config.dataDir, "content"),
    });
    return this.content;
  }

  workers(): WorkerPool {
    this.pool ??= new WorkerPool();
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
