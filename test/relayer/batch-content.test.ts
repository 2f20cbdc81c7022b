import { expect } from "chai";
import { batchContent, type BatchContent } from "../../src/relayer/batch-content";
import type { EntryRow } from "../../src/relayer/relayer-store";

describe("relayer batch content", () => {
  it("is JSON holding every entry's body as it was accepted, in the given order", () => {
    const bodies = [{ document: { a: [1, 'x"y'] }, signature: "0x01" }, { handover: { items: ["u"] } }];
    const rows = bodies.map((b, i) => ({
      digest: `0x${String(i).repeat(64)}`,
      kind: i === 0 ? "capture" : "handover",
      body: JSON.stringify(b),
    })) as EntryRow[];
    const meta = { chainId: 31337, commitmentLog: "0xabc", relayer: 2, sequence: 9, root: "0xroot" };
    const parsed = JSON.parse(new TextDecoder().decode(batchContent(meta, rows))) as BatchContent;
    expect(parsed).to.deep.equal({
      type: "trackroot.commitment.v1",
      ...meta,
      entries: rows.map((r, i) => ({ kind: r.kind, digest: r.digest, body: bodies[i] })),
    });
  });
});
