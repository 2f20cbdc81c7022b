import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { createPublicClient, http, keccak256, stringToHex } from "viem";
import { readDeployment, type Deployment } from "../../src/chain/deployment";
import { encryptKeystore } from "../../src/chain/keystore";
import { Ledger } from "../../src/chain/ledger";
import { IntegrityError } from "../../src/core/errors";
import { RpcChainSource, type ChainSource } from "../../src/chain/chain-source";
import { IndexerStore } from "../../src/indexer/indexer-store";
import { contractAddresses, type ContractAddresses } from "../../src/chain/deployment";
import { Syncer } from "../../src/indexer/syncer";
import { openDatabase } from "../../src/store/database";
import type { IndexerTables } from "../../src/store/indexer-schema";
import { startBesuProxy } from "../support/besu-proxy";
import { startHardhatNode } from "../support/chain-node";
import { ENGINES } from "../support/databases";
import { cliIn, KEYS } from "../support/relayer-ledger";

const BRAND = privateKeyToAccount(KEYS.governor).address;
const GTIN = "10614141073464";

describe("e2e: the indexer's sync against a separate hardhat node", function () {
  this.timeout(180_000);
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let deployment: Deployment;
  let contracts: ContractAddresses;
  let source: ChainSource;
  const dir = mkdtempSync(join(tmpdir(), "trackroot-indexer-"));
  let order = 0;

  const rpc = (method: string, params: unknown[] = []) =>
    fetch(node.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    }).then(async (r) => (await r.json()).result);

  const cli = (...argv: string[]) => cliIn(dir, node.url, argv, "brand.json");
  const openOrder = () =>
    cli("order", "create", "--gtin", GTIN, "--quantity", "100", "--lot", `L${++order}`, "--erp-ref", `PO-${order}`);

  async function openStore(engine: (typeof ENGINES)[number]): Promise<IndexerStore> {
    const { db, engine: kind } = openDatabase<IndexerTables>(await engine.options());
    return IndexerStore.open(db, kind);
  }
  const syncer = (store: IndexerStore, s: ChainSource = source, rangeSize = 1000) =>
    new Syncer({ source: s, store, contracts, startBlock: 0, confirmations: 0, rangeSize });

  before(async () => {
    node = await startHardhatNode();
    writeFileSync(join(dir, "brand.json"), await encryptKeystore(KEYS.governor, "pw", 1024));
    await cli("deploy");
    await cli("participant", "add", "--kind", "brand", "--gln", "0614141000005", "--name", "Acme", "--key", BRAND);
    await cli("prefix", "assign", "--prefix", "0614141", "--brand", "1");
    const relayer = privateKeyToAccount(KEYS.relayer).address;
    await cli("participant", "add", "--kind", "relayer", "--gln", "0614141000012", "--name", "Relay", "--key", relayer);
    await openOrder();
    await cli("codes", "release", "--order", "1", "--count", "50", "--out", join(dir, "release-1"));
    await cli("recall", "--batch", "1", "--reason", "contaminated");
    deployment = await readDeployment(join(dir, "deployments", "31337.json"));
    contracts = contractAddresses(deployment);
    const ledger = new Ledger({ rpcUrl: node.url, deployment, account: privateKeyToAccount(KEYS.relayer) });
    const root = keccak256(stringToHex("a commitment"));
    await ledger.write(() =>
      ledger.commitmentLog.simulate.commit([
        1n,
        root,
        3,
        "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
        `0x${"00".repeat(32)}`,
      ]),
    );
    source = new RpcChainSource(ledger.publicClient, Object.values(contracts));
  });
  after(() => node?.stop());

  it("indexes through a Besu-shaped node that caps eth_getLogs, to the same state as directly", async () => {
    // eight blocks and two logs per getLogs (a participant's registration logs two in one block)
    const besu = await startBesuProxy(node.url, { maxLogsRange: 8, maxLogResults: 2 });
    try {
      const direct = await openStore(ENGINES[0]);
      await syncer(direct).catchUp();
      const capped = await openStore(ENGINES[0]);
      const client = createPublicClient({ transport: http(besu.url, { retryCount: 0 }) });
      await syncer(capped, new RpcChainSource(client, Object.values(contracts))).catchUp();
      expect(await capped.digest()).to.equal(await direct.digest());
      expect(besu.refused.range).to.be.above(0);
      expect(besu.refused.results).to.be.above(0);
      await direct.close();
      await capped.close();
    } finally {
      await besu.stop();
    }
  });

  it("derives participants, orders, batches, recalls and commitments, the same on SQLite and PostgreSQL", async () => {
    const digests: string[] = [];
    for (const engine of ENGINES) {
      const store = await openStore(engine);
      await syncer(store).catchUp();
      const participants = await store.db.selectFrom("participants").selectAll().orderBy("id").execute();
      expect(participants.map((p) => [p.id, p.kind, p.name])).to.deep.equal([
        [1, 0, "Acme"],
        [2, 4, "Relay"],
      ]);
      const [o] = await store.db.selectFrom("orders").selectAll().execute();
      expect([o.gtin, o.planned, o.lot, o.brand]).to.deep.equal([GTIN, 100, "L1", 1]);
      const [b] = await store.db.selectFrom("batches").selectAll().execute();
      expect([b.order_id, b.count]).to.deep.equal([1, 50]);
      const batch = await new Ledger({ rpcUrl: node.url, deployment }).serials.read.batch([1n]);
      expect(b.root).to.equal(batch.root);
      const events = await store.db.selectFrom("serial_events").selectAll().execute();
      expect(events.map((e) => [e.kind, e.batch_id])).to.deep.equal([["batch_recalled", 1]]);
      const [c] = await store.db.selectFrom("commitments").selectAll().execute();
      expect([c.relayer, c.sequence, c.event_count]).to.deep.equal([2, 1, 3]);
      const checks = await store.db
        .selectFrom("content_checks")
        .select(["subject", "status"])
        .orderBy("subject")
        .execute();
      expect(checks).to.deep.equal([
        { subject: "batch:1", status: "pending" },
        { subject: "commitment:2:1", status: "pending" },
      ]);
      expect(await syncer(store).step()).to.equal("synced");
      digests.push(await store.digest());
      await store.close();
    }
    expect(digests[0]).to.match(/^0x[0-9a-f]{64}$/);
    expect(digests[1]).to.equal(digests[0]);
  });

  it("resumes from its last whole block after stopping anywhere, to the same digest", async () => {
    const clean = await openStore(ENGINES[0]);
    await syncer(clean).catchUp();
    const expected = await clean.digest();
    await clean.close();

    // one block per step, the database closed and opened again between steps
    const options = await ENGINES[0].options();
    const reopen = async () => {
      const { db, engine } = openDatabase<IndexerTables>(options);
      return IndexerStore.open(db, engine);
    };
    let store = await reopen();
    for (let i = 0; i < 5; i++) {
      await syncer(store, source, 1).step();
      await store.close();
      store = await reopen();
    }
    const cursor = await store.cursor();
    expect(cursor?.number).to.equal(4);
    await syncer(store, source, 1).catchUp();
    expect(await store.digest()).to.equal(expected);
    await store.close();
  });

  it("rolls back a reorganisation (snapshot and revert) and replays the chain that won", async () => {
    const store = await openStore(ENGINES[0]);
    await syncer(store).catchUp();
    const snapshot = await rpc("evm_snapshot");
    await openOrder();
    await openOrder();
    await syncer(store).catchUp();
    expect((await store.db.selectFrom("orders").select("id").execute()).length).to.equal(3);
    const lostHead = (await store.cursor())!.number;

    await rpc("evm_revert", [snapshot]);
    order -= 2;
    await cli(
      "participant",
      "add",
      "--kind",
      "custodian",
      "--gln",
      "0614141000029",
      "--name",
      "3PL",
      "--key",
      privateKeyToAccount(KEYS.custodian).address,
    );
    await rpc("evm_mine");
    await rpc("evm_mine");
    expect(await syncer(store).step()).to.equal("rolled-back");
    await syncer(store).catchUp();
    expect((await store.db.selectFrom("orders").select("id").execute()).length).to.equal(1);
    expect(
      (await store.db.selectFrom("participants").select("name").orderBy("id").execute()).map((p) => p.name),
    ).to.deep.equal(["Acme", "Relay", "3PL"]);
    const head = await source.head();
    expect(head).to.be.at.least(lostHead);
    const fresh = await openStore(ENGINES[0]);
    await syncer(fresh).catchUp();
    expect(await store.digest()).to.equal(await fresh.digest());
    await Promise.all([store.close(), fresh.close()]);
  });

  const lies: { name: string; lie: (s: ChainSource) => ChainSource; message: RegExp }[] = [
    {
      name: "a block whose parent hash is not its predecessor's",
      lie: (s) => ({
        ...s,
        head: () => s.head(),
        logs: (f, t) => s.logs(f, t),
        block: async (n) => (n === 5 ? { ...(await s.block(n)), parentHash: `0x${"ab".repeat(32)}` } : s.block(n)),
      }),
      message: /block 5's parent hash/,
    },
    {
      name: "a log whose block the node does not have",
      lie: (s) => ({
        head: () => s.head(),
        block: (n) => s.block(n),
        logs: async (f, t) => (await s.logs(f, t)).map((l) => ({ ...l, blockHash: `0x${"cd".repeat(32)}` as const })),
      }),
      message: /names block hash 0xcdcd/,
    },
  ];
  for (const l of lies) {
    it(`halts on ${l.name}, having projected nothing from it`, async () => {
      const store = await openStore(ENGINES[0]);
      let error: unknown;
      await syncer(store, l.lie(source), 2)
        .catchUp()
        .catch((e) => (error = e));
      expect(error).to.be.instanceOf(IntegrityError);
      expect((error as Error).message).to.match(l.message);
      const cursor = await store.cursor();
      const stored = await store.db
        .selectFrom("chain_blocks")
        .select("number")
        .orderBy("number", "desc")
        .executeTakeFirst();
      expect(stored?.number ?? -1).to.equal(cursor?.number ?? -1);
      await store.close();
    });
  }
});
