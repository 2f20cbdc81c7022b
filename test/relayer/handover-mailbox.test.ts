import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";
import { signHandoverProposal } from "../../src/client/handover-proposals";
import { RateLimitedError } from "../../src/core/errors";
import { RateLimiter } from "../../src/http/rate-limiter";
import { HandoverMailbox } from "../../src/relayer/handover-mailbox";
import type { IntakeDesk } from "../../src/relayer/intake-desk";
import { ProposalStore } from "../../src/relayer/proposal-store";
import { RelayerStore } from "../../src/relayer/relayer-store";
import { openDatabase } from "../../src/store/database";
import type { RelayerTables } from "../../src/store/schema";

const sender = privateKeyToAccount(("0x" + "61".repeat(32)) as Hex);
const domain = { chainId: 31337, verifyingContract: "0x000000000000000000000000000000000000c0fe" as const };
const unit = (s: string) => `https://id.gs1.org/01/10614141073464/21/${s}`;

describe("relayer/HandoverMailbox", () => {
  it("charges a proposal's items to its sender's key: past its burst, the next proposal is refused with a wait", async () => {
    const { db, engine } = openDatabase<RelayerTables>({});
    const store = await RelayerStore.open(db, engine);
    const mailbox = new HandoverMailbox({
      domain,
      registry: { keyStanding: async () => ({ participant: 3, kind: 2, active: true }) },
      participants: { participantStanding: async () => ({ kind: 3, active: true }) },
      proposals: new ProposalStore(db),
      desk: {} as IntakeDesk,
      now: Date.now,
      maxSkewSeconds: 300,
      maxItems: 1000,
      limiter: new RateLimiter({ ratePerSecond: 0.001, burst: 3 }),
    });
    const propose = async (items: string[]) =>
      mailbox.propose(
        JSON.stringify(
          await signHandoverProposal({
            account: sender,
            domain,
            fromParticipant: 3,
            toParticipant: 4,
            items,
            shipmentRef: "D-1",
          }),
        ),
      );
    expect((await propose([unit("M1"), unit("M2")])).created).to.equal(true);
    let error: unknown;
    try {
      await propose([unit("M3"), unit("M4")]);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(RateLimitedError);
    await store.close();
  });
});
