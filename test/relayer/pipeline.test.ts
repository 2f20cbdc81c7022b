import { expect } from "chai";
import type { Ledger } from "../../src/chain/ledger";
import type { ContentStore } from "../../src/content/content-store";
import { UnavailableError } from "../../src/core/errors";
import { BatchQueue } from "../../src/relayer/batch-queue";
import { RelayerMetrics } from "../../src/relayer/metrics";
import { Pipeline } from "../../src/relayer/pipeline";
import { RelayerStore } from "../../src/relayer/relayer-store";
import { openDatabase } from "../../src/store/database";
import type { RelayerTables } from "../../src/store/schema";
import { ENGINES } from "../support/databases";

const h = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

/** A chain that answers the relayer's head and commitment reads as `answer` says, counting them. */
function chainSaying(answer: () => Promise<{ head: bigint; root: string }>) {
  const calls = { head: 0 };
  const ledger = {
    read: <T>(f: () => Promise<T>) => f(),
    commitmentLog: {
      read: {
        head: async () => {
          calls.head++;
          return [(await answer()).head, h(0)];
        },
        commitment: async () => ({ root: (await answer()).root, blockNumber: 7n, hash: h(9) }),
      },
    },
  };
  // the pipeline's steps read the chain through this seam alone
  return { ledger: ledger as unknown as Ledger, calls };
}

async function pipelineOver(ledger: Ledger) {
  const { db, engine } = openDatabase<RelayerTables>(await ENGINES[0].options());
  const store = await RelayerStore.open(db, engine);
  // a batch sent as sequence 1, with the root this relayer built
  await store.createBatch(
    {
      sequence: 1,
      root: h(1),
      entry_count: 1,
      event_count: 1,
      previous_hash: h(0),
      created_at: new Date(0).toISOString(),
    },
    [],
  );
  await store.updateBatch(1, { status: "sent", content_cid: "bafkqaaa", transaction: h(5), tx_nonce: 0 });
  const logged: string[] = [];
  const metrics = new RelayerMetrics();
  const pipeline = new Pipeline({
    store,
    content: {} as ContentStore,
    ledger,
    queue: new BatchQueue({ maxEvents: 10, maxWaitMs: 10 }),
    relayer: 3,
    maxEntries: 10,
    maxEvents: 10,
    metrics,
    log: (event) => logged.push(event),
    retryMs: 1,
    pollMs: 1,
  });
  return { pipeline, store, logged, metrics };
}

const until = async (what: () => boolean, ms = 3000) => {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("relayer/Pipeline: retryable faults are retried, permanent ones halt it", () => {
  it("halts, once, when the chain holds another root under its batch's sequence, and says why", async () => {
    const chain = chainSaying(async () => ({ head: 1n, root: h(2) }));
    const { pipeline, store, logged, metrics } = await pipelineOver(chain.ledger);
    pipeline.start();
    await until(() => pipeline.halted !== undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(pipeline.halted?.message).to.include(`holds root ${h(2)} on chain; this relayer built ${h(1)}`);
    // no retry hides it: the chain was asked once, and the batch is left as it was
    expect(chain.calls.head).to.equal(1);
    expect(logged).to.deep.equal(["pipeline.halted"]);
    expect((await metrics.halted.get()).values[0].value).to.equal(1);
    expect((await store.unfinishedBatches())[0].status).to.equal("sent");
    await pipeline.stop({ flush: true, timeoutMs: 200 });
    await store.close();
  });

  it("retries a node out of reach, and is not halted by it", async () => {
    const chain = chainSaying(async () => {
      throw new UnavailableError("the chain node cannot be reached");
    });
    const { pipeline, store, logged, metrics } = await pipelineOver(chain.ledger);
    pipeline.start();
    await until(() => chain.calls.head >= 3);
    expect(pipeline.halted).to.equal(undefined);
    expect(logged.filter((e) => e === "pipeline.retry").length).to.be.at.least(2);
    expect((await metrics.halted.get()).values[0]?.value ?? 0).to.equal(0);
    await pipeline.stop();
    await store.close();
  });
});
