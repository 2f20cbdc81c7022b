import { readFileSync } from "node:fs";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";
import { Ledger } from "../../src/chain/ledger";
import { EmbeddedContentStore } from "../../src/content/embedded-store";
import { commitmentTree } from "../../src/core/custody/capture-tree";
import type { JsonValue } from "../../src/core/epcis/event-hash";
import { encodeCommitmentDocument } from "../../src/core/custody/commitment-document";
import type { EntryRow } from "../../src/relayer/relayer-store";
import { signedCaptureEntry, signedHandoverEntry, type Entry } from "./entries";

export type { Entry };
import { cliIn, KEYS, RELAYER_ID, setupRelayerLedger, type RelayerLedger } from "./relayer-ledger";

/**
 * A ledger for indexer tests: the relayer fixture's participants, a brand (participant 5, the
 * governor's key) with prefix 0614141, order 1 for GTIN 10614141073464 with `codes` released as
 * batch 1, and helpers that commit hand-made content as the relayer, forged entries included.
 */
export async function setupIndexerLedger(rpcUrl: string, dir: string, codes = 20) {
  const chain: RelayerLedger = await setupRelayerLedger(rpcUrl, dir);
  const content = new EmbeddedContentStore(join(dir, "data", "content"));
  const cli = (...argv: string[]) => cliIn(dir, rpcUrl, argv);
  const governor = privateKeyToAccount(KEYS.governor).address;
  await cli("participant", "add", "--kind", "brand", "--gln", "0614141000043", "--name", "Acme", "--key", governor);
  await cli("prefix", "assign", "--prefix", "0614141", "--brand", "5");
  await cli(
    "order",
    "create",
    "--gtin",
    "10614141073464",
    "--quantity",
    String(codes),
    "--lot",
    "L1",
    "--erp-ref",
    "PO-1",
  );
  await cli("codes", "release", "--order", "1", "--count", String(codes), "--out", join(dir, "release"));
  const serials = readFileSync(join(dir, "release", "codes.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",")[1]);
  const relayer = new Ledger({ rpcUrl, deployment: chain.deployment, account: privateKeyToAccount(KEYS.relayer) });

  const captureEntry = (
    doc: { [k: string]: JsonValue },
    key: Hex,
    claim: Hex = key,
    options?: Parameters<typeof signedCaptureEntry>[4],
  ) => signedCaptureEntry(chain.domain, doc, key, claim, options);
  const handoverEntry = (items: string[], senderKey: Hex, receiverKey: Hex, options: { eventTime?: number } = {}) =>
    signedHandoverEntry(chain.domain, items, senderKey, receiverKey, options);

  /** Publishes `entries` as the relayer's next commitment (the bytes altered by `tamper`) and commits it. */
  async function commit(entries: Entry[], tamper?: (bytes: Uint8Array) => Uint8Array) {
    const [head, headHash] = await relayer.commitmentLog.read.head([RELAYER_ID]);
    const sequence = Number(head) + 1;
    const root = commitmentTree(entries.map((e) => ({ kind: e.kind, digest: e.digest }))).root;
    const bytes = encodeCommitmentDocument(
      { chainId: 31337, commitmentLog: relayer.commitmentLog.address, relayer: RELAYER_ID, sequence, root },
      entries as unknown as EntryRow[],
    );
    const cid = await content.put(tamper ? tamper(bytes) : bytes);
    const events = entries.reduce((n, e) => n + e.event_count, 0);
    await relayer.write(() => relayer.commitmentLog.simulate.commit([BigInt(sequence), root, events, cid, headHash]));
    return { sequence, cid };
  }

  return { chain, content, relayer, serials, cli, captureEntry, handoverEntry, commit };
}
