import { expect } from "chai";
import fc from "fast-check";
import { isRangeTooLarge, logRangeReader } from "../../src/chain/log-ranges";

const BESU_RANGE = "Requested range exceeds maximum RPC range limit";

/** A node holding one log per entry of `blocks`, refusing more than `maxSpan` blocks or `maxResults` logs, as Besu and providers do. */
function cappedNode(blocks: number[], limits: { maxSpan: number; maxResults: number }) {
  const asked: [number, number][] = [];
  const fetch = async (from: number, to: number) => {
    asked.push([from, to]);
    if (to - from + 1 > limits.maxSpan) throw Object.assign(new Error("RPC Request failed."), { details: BESU_RANGE });
    const logs = blocks.filter((b) => b >= from && b <= to);
    if (logs.length > limits.maxResults) throw new Error(`query returned more than ${limits.maxResults} results`);
    return logs;
  };
  return { fetch, asked };
}

describe("chain/log ranges (eth_getLogs against a node that caps it)", () => {
  it("misses no log and repeats none, whatever the node's range and result caps", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 3, max: 50 }),
        async (raw, maxSpan, maxResults) => {
          // at most maxResults logs in any one block, or nothing could be read
          const blocks = [...new Set(raw)].sort((a, b) => a - b);
          const node = cappedNode(blocks, { maxSpan, maxResults });
          expect(await logRangeReader(node.fetch).read(0, 5000)).to.deep.equal(blocks);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("asks once when the node does not cap", async () => {
    const node = cappedNode([1, 2, 3], { maxSpan: Infinity, maxResults: Infinity });
    const reader = logRangeReader(node.fetch);
    expect(await reader.read(0, 100_000)).to.deep.equal([1, 2, 3]);
    expect(node.asked).to.deep.equal([[0, 100_000]]);
    expect(reader.span).to.equal(undefined);
  });

  it("keeps the span a capped node answered, so the next range is asked in parts at once", async () => {
    const node = cappedNode([], { maxSpan: 1000, maxResults: 10_000 });
    const reader = logRangeReader(node.fetch);
    await reader.read(0, 9999);
    const first = node.asked.length;
    node.asked.length = 0;
    await reader.read(10_000, 19_999);
    expect(node.asked.length).to.be.below(first);
    expect(node.asked.every(([from, to]) => to - from + 1 <= 2000)).to.equal(true);
  });

  it("passes on a node's other errors without splitting", async () => {
    const asked: number[] = [];
    const reader = logRangeReader(async (from) => {
      asked.push(from);
      throw new Error("connect ECONNREFUSED 127.0.0.1:8545");
    });
    const error = await reader.read(0, 1000).catch((e: unknown) => e);
    expect(String(error)).to.contain("ECONNREFUSED");
    expect(asked).to.have.length(1);
  });

  it("gives up on a single block the node still refuses, with the node's words", async () => {
    const node = cappedNode([7, 7, 7], { maxSpan: 10, maxResults: 0 });
    const error = await logRangeReader(node.fetch)
      .read(0, 20)
      .catch((e: unknown) => e);
    expect(String(error)).to.match(/more than 0 results/);
  });

  const refusals: [string, unknown][] = [
    ["Besu's range cap, in viem's details", { message: "RPC Request failed.", details: BESU_RANGE }],
    ["Besu's range cap, a cause down", new Error("chain node: RPC Request failed.", { cause: new Error(BESU_RANGE) })],
    ["a result cap", new Error("query returned more than 10000 results")],
    ["geth-style range text", new Error("block range is larger than max block range")],
    ["a provider's", new Error("You can make eth_getLogs requests with up to a 500 block range.")],
    [
      "EIP-1474's limit exceeded, by its code",
      Object.assign(new Error("Request exceeds defined limit."), { code: -32005 }),
    ],
  ];
  for (const [what, error] of refusals) {
    it(`reads ${what} as "ask for less"`, () => {
      expect(isRangeTooLarge(error)).to.equal(true);
    });
  }
  for (const other of [new Error("execution reverted"), new Error("fetch failed"), "nonsense", undefined]) {
    it(`does not read ${JSON.stringify(String(other))} as "ask for less"`, () => {
      expect(isRangeTooLarge(other)).to.equal(false);
    });
  }
});
