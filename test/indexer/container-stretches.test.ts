import { expect } from "chai";
import {
  containerStretches,
  currentContainers,
  parentStretches,
  type HistoryRow,
} from "../../src/indexer/container-stretches";

/** History rows of `epc`, one per [ordinal, parent]: the time is the ordinal's number. */
function rows(epc: string, states: [string, string][]): HistoryRow[] {
  return states.map(([ordinal, parent]) => ({
    epc,
    ordinal,
    cause: "observed",
    ref: "",
    participant: 1,
    time: Number(ordinal),
    place: "",
    commissioned: 1,
    ended: "",
    holder: 1,
    parent,
    last_time: 0,
    last_place: "",
    block_number: 1,
  }));
}
const at = (n: number) => ({ ordinal: String(n).padStart(3, "0"), time: n });
const o = (n: number) => String(n).padStart(3, "0");

describe("indexer/container stretches", () => {
  const cases: {
    name: string;
    parents: string[];
    lo?: number;
    hi?: number;
    want: [string, number, number | null][];
  }[] = [
    { name: "never packed", parents: ["", "", ""], want: [] },
    { name: "packed and still inside", parents: ["", "C", "C"], want: [["C", 1, null]] },
    { name: "packed, then unpacked", parents: ["", "C", "C", ""], want: [["C", 1, 3]] },
    {
      name: "moved from one case straight into another",
      parents: ["C", "D"],
      want: [
        ["C", 0, 1],
        ["D", 1, null],
      ],
    },
    {
      name: "back into the same case later",
      parents: ["C", "", "C"],
      want: [
        ["C", 0, 1],
        ["C", 2, null],
      ],
    },
    {
      name: "clipped to the window it is asked for",
      parents: ["", "C", "C", "C", ""],
      lo: 2,
      hi: 3,
      want: [["C", 2, 3]],
    },
    { name: "a stretch wholly outside the window is dropped", parents: ["C", ""], lo: 1, hi: 2, want: [] },
  ];
  for (const c of cases)
    it(`finds the stretches of a history ${c.name}`, () => {
      const history = rows(
        "u",
        c.parents.map((p, i) => [o(i), p]),
      );
      const found = parentStretches(
        history,
        c.lo === undefined ? null : at(c.lo),
        c.hi === undefined ? null : at(c.hi),
      );
      expect(found.map((s) => [s.parent, s.from.time, s.to?.time ?? null])).to.deep.equal(c.want);
    });

  it("follows each container's own containers only while the unit was inside it", async () => {
    // u in C from 1 to 5; C on pallet P from 3 to 7 (so u on P from 3 to 5); P in truck T from 0 on
    const history: Record<string, HistoryRow[]> = {
      C: rows("C", [
        [o(1), ""],
        [o(3), "P"],
        [o(4), "P"],
        [o(7), ""],
      ]),
      P: rows("P", [
        [o(0), "T"],
        [o(3), "T"],
        [o(4), "T"],
        [o(6), "T"],
      ]),
      T: rows("T", [
        [o(2), ""],
        [o(4), ""],
        [o(8), ""],
      ]),
    };
    const own = rows("u", [
      [o(1), "C"],
      [o(5), ""],
    ]);
    const found = await containerStretches(own, async (epc) => history[epc] ?? []);
    expect(
      found.map((s) => [s.epc, s.level, s.from.time, s.to?.time ?? null, s.rows.map((r) => r.time)]),
    ).to.deep.equal([
      ["C", 0, 1, 5, [3, 4]],
      ["P", 1, 3, 5, [4]],
      ["T", 2, 3, 5, [4]],
    ]);
    expect(currentContainers(found)).to.deep.equal([]);
  });

  it("names the containers a unit is in now, innermost first, and survives a cycle in the data", async () => {
    const history: Record<string, HistoryRow[]> = {
      C: rows("C", [[o(2), "P"]]),
      P: rows("P", [[o(3), "C"]]),
    };
    const found = await containerStretches(rows("u", [[o(1), "C"]]), async (epc) => history[epc] ?? []);
    expect(currentContainers(found).map((s) => s.epc)).to.deep.equal(["C", "P"]);
  });
});
