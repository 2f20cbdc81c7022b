import { expect } from "chai";
import type { Address } from "viem";
import { toNiUri, eventHashBytes } from "../../src/core/epcis/event-hash";
import { ValidationError } from "../../src/core/errors";
import { checkCapture, type IntakeOptions } from "../../src/relayer/capture-intake";
import { CaptureRejectedError, UnauthorizedError } from "../../src/core/errors";
import { privateKeyToAccount } from "viem/accounts";
import { captureTypedData } from "../../src/core/custody/eip712";
import { disclosedEventsTree, eventParts } from "../../src/core/custody/disclosure-trees";
import { saltHash, shownDigest, shownFields } from "../../src/core/custody/event-disclosure";
import { epcisDocument, objectEvent, signCapture } from "../support/captures";

const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const domain = { chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address };
const standings = new Map<string, { participant: number; kind: number; active: boolean }>([
  [ADDRESS.toLowerCase(), { participant: 3, kind: 2, active: true }],
]);
const options: IntakeOptions = {
  domain,
  registry: {
    keyStanding: async (key) => standings.get(key.toLowerCase()) ?? { participant: 0, kind: 0, active: false },
  },
  maxAgeSeconds: 3600,
  maxSkewSeconds: 300,
  maxEvents: 1000,
  now: () => Date.now(),
};

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe("relayer capture intake", () => {
  it("accepts a signed capture and names its digest, events and participant", async () => {
    const doc = epcisDocument([objectEvent(["A1", "A2"]), objectEvent(["A3"])]);
    const accepted = await checkCapture(doc, await signCapture(doc, KEY, domain), "rollback", options);
    expect(accepted.participant).to.equal(3);
    expect(accepted.eventHashes).to.have.length(2);
    expect(accepted.digest).to.match(/^0x[0-9a-f]{64}$/);
    expect(accepted.rejected).to.deep.equal([]);
  });

  it("accepts an eventID equal to the event's hash and refuses one that is not", async () => {
    const event = objectEvent(["B1"]);
    const good = epcisDocument([{ ...event, eventID: toNiUri(eventHashBytes(event)) }]);
    await checkCapture(good, await signCapture(good, KEY, domain), "rollback", options);
    const bad = epcisDocument([{ ...event, eventID: toNiUri(`0x${"ab".repeat(32)}`) }]);
    const error = await rejection(checkCapture(bad, await signCapture(bad, KEY, domain), "rollback", options));
    expect(error).to.be.instanceOf(CaptureRejectedError);
    expect((error as CaptureRejectedError).issues[0].pointer).to.equal("/epcisBody/eventList/0/eventID");
  });

  it("refuses the whole capture by default and keeps the valid events under proceed", async () => {
    const doc = epcisDocument([objectEvent(["C1"]), { ...objectEvent(["C2"]), epcList: ["not-an-identifier"] }]);
    const envelope = await signCapture(doc, KEY, domain);
    const error = await rejection(checkCapture(doc, envelope, "rollback", options));
    const issues = (error as CaptureRejectedError).issues;
    expect(issues.map((i) => i.pointer)).to.include("/epcisBody/eventList/1/epcList/0");
    expect(issues.every((i) => i.eventIndex === 1)).to.equal(true);
    const kept = await checkCapture(doc, envelope, "proceed", options);
    expect(kept.eventHashes[0]).to.match(/^0x/);
    expect(kept.eventHashes[1]).to.equal(null);
    expect(kept.rejected.length).to.be.greaterThan(0);
  });

  it("names the failing pointer of a schema-invalid event", async () => {
    const doc = epcisDocument([{ ...objectEvent(["D1"]), action: "JUMP" }]);
    const error = await rejection(checkCapture(doc, await signCapture(doc, KEY, domain), "rollback", options));
    expect((error as CaptureRejectedError).issues[0].pointer).to.equal("/epcisBody/eventList/0/action");
  });

  const refusals: {
    name: string;
    make: () => Promise<Parameters<typeof checkCapture>>;
    error: new (...args: never[]) => Error;
    message: RegExp;
  }[] = [
    {
      name: "a signature by another key",
      make: async () => {
        const doc = epcisDocument([objectEvent(["E1"])]);
        const envelope = await signCapture(doc, `0x${"11".repeat(32)}`, domain);
        return [doc, { ...envelope, submitter: ADDRESS }, "rollback", options];
      },
      error: UnauthorizedError,
      message: /signature: not 0x7099.*EIP-712 Capture signature/,
    },
    {
      name: "a signature for another chain id",
      make: async () => {
        const doc = epcisDocument([objectEvent(["E2"])]);
        return [doc, await signCapture(doc, KEY, { ...domain, chainId: 1 }), "rollback", options];
      },
      error: UnauthorizedError,
      message: /on chain 31337/,
    },
    {
      name: "a signature for another contract",
      make: async () => {
        const doc = epcisDocument([objectEvent(["E3"])]);
        const other = { ...domain, verifyingContract: "0x0000000000000000000000000000000000000001" as Address };
        return [doc, await signCapture(doc, KEY, other), "rollback", options];
      },
      error: UnauthorizedError,
      message: /signature: not/,
    },
    {
      name: "a signature for a different document",
      make: async () => {
        const doc = epcisDocument([objectEvent(["E4"])]);
        return [epcisDocument([objectEvent(["E5"])]), await signCapture(doc, KEY, domain), "rollback", options];
      },
      error: ValidationError,
      message: /eventsRoot: is not the root these events give/,
    },
    {
      name: "a stated events root that the signature does not cover",
      make: async () => {
        const doc = epcisDocument([objectEvent(["E9"])]);
        const envelope = await signCapture(doc, KEY, domain);
        return [doc, { ...envelope, eventsRoot: `0x${"44".repeat(32)}` }, "rollback", options];
      },
      error: UnauthorizedError,
      message: /signature: not/,
    },
    {
      name: "an expired signature",
      make: async () => {
        const doc = epcisDocument([objectEvent(["E6"])]);
        const issuedAt = Math.floor(Date.now() / 1000) - 7200;
        return [doc, await signCapture(doc, KEY, domain, { issuedAt }), "rollback", options];
      },
      error: UnauthorizedError,
      message: /issuedAt: the signature expired/,
    },
    {
      name: "an unknown key",
      make: async () => {
        const doc = epcisDocument([objectEvent(["E7"])]);
        return [doc, await signCapture(doc, `0x${"22".repeat(32)}`, domain), "rollback", options];
      },
      error: UnauthorizedError,
      message: /is not a registered key/,
    },
    {
      name: "a malformed nonce",
      make: async () => {
        const doc = epcisDocument([objectEvent(["E8"])]);
        return [doc, { ...(await signCapture(doc, KEY, domain)), nonce: "0x12" }, "rollback", options];
      },
      error: ValidationError,
      message: /nonce: must be a 0x-prefixed 32-byte hex string/,
    },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name}`, async () => {
      const error = await rejection(checkCapture(...(await r.make())));
      expect(error).to.be.instanceOf(r.error);
      expect(error.message).to.match(r.message);
    });
  }

  it("refuses a capture whose registered submitter signed disclosure parts its events contradict", async () => {
    const doc = epcisDocument([objectEvent(["I1"])]);
    const event = objectEvent(["I1"]);
    const salt = `0x${"5a".repeat(32)}` as const;
    // the submitter signs its shipping event as a sale: the shown fields say what the event does not
    const lying = { ...eventParts(event, eventHashBytes(event), salt, 0) };
    lying.shownDigest = shownDigest({ ...shownFields(event), bizStep: "retail_selling" });
    const account = privateKeyToAccount(KEY);
    const capture = {
      submitter: account.address,
      eventsRoot: disclosedEventsTree([lying], saltHash(salt)).root,
      eventCount: 1,
      nonce: `0x${"07".repeat(32)}` as const,
      issuedAt: BigInt(Math.floor(Date.now() / 1000)),
    };
    const envelope = {
      submitter: account.address,
      nonce: capture.nonce,
      issuedAt: capture.issuedAt.toString(),
      signature: await account.signTypedData(captureTypedData(domain, capture)),
      eventsRoot: capture.eventsRoot,
      eventCount: "1",
      salt,
    };
    const error = await rejection(checkCapture(doc, envelope, "rollback", options));
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).field).to.equal("eventsRoot");
    expect(error.message).to.match(/the signed parts do not match the events/);
  });

  it("refuses a revoked key", async () => {
    standings.set("0x0000000000000000000000000000000000000abc", { participant: 4, kind: 2, active: false });
    const revokedKey = `0x${"33".repeat(32)}` as const;
    const { privateKeyToAccount } = await import("viem/accounts");
    standings.set(privateKeyToAccount(revokedKey).address.toLowerCase(), { participant: 4, kind: 2, active: false });
    const doc = epcisDocument([objectEvent(["F1"])]);
    const error = await rejection(checkCapture(doc, await signCapture(doc, revokedKey, domain), "rollback", options));
    expect(error.message).to.match(/revoked or its participant deactivated/);
  });
});
