import { expect } from "chai";
import type { Address } from "viem";
import { ValidationError } from "../../src/core/errors";
import { ForbiddenError, UnauthorizedError } from "../../src/core/errors";
import { checkHandover, type HandoverIntakeOptions } from "../../src/relayer/handover-intake";
import { signHandover, unit } from "../support/captures";

// hardhat accounts #1 (a distributor), #3 (a pharmacy), #4 (an auditor), #5 (revoked), #6 (unknown)
const DISTRIBUTOR = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const PHARMACY = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
const AUDITOR = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";
const REVOKED = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";
const UNKNOWN = "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e";
const domain = { chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address };
const standings = new Map<string, { participant: number; kind: number; active: boolean }>([
  ["0x70997970c51812dc3a010c7d01b50e0d17dc79c8", { participant: 3, kind: 2, active: true }],
  ["0x90f79bf6eb2c4f870365e785982e1f101e93b906", { participant: 5, kind: 3, active: true }],
  ["0x15d34aaf54267db7d7c367839aaf71a00a2c6a65", { participant: 7, kind: 5, active: true }],
  ["0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc", { participant: 4, kind: 2, active: false }],
]);
const options: HandoverIntakeOptions = {
  domain,
  registry: {
    keyStanding: async (key) => standings.get(key.toLowerCase()) ?? { participant: 0, kind: 0, active: false },
  },
  maxSkewSeconds: 300,
  maxEvents: 1000,
  now: () => Date.now(),
};

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a refusal");
}

describe("relayer handover intake", () => {
  it("accepts a handover signed by both custodians and names both participants", async () => {
    const body = await signHandover(
      [unit("H1"), "https://id.gs1.org/00/106141412345678908"],
      DISTRIBUTOR,
      PHARMACY,
      domain,
    );
    const accepted = await checkHandover(body, options);
    expect(accepted.sender).to.equal(3);
    expect(accepted.receiver).to.equal(5);
    expect(accepted.digest).to.match(/^0x[0-9a-f]{64}$/);
  });

  const now = Math.floor(Date.now() / 1000);
  const refusals: {
    name: string;
    body: () => Promise<unknown>;
    error: new (...args: never[]) => Error;
    message: RegExp;
  }[] = [
    {
      name: "a handover signed by the sender only",
      body: async () => ({
        ...(await signHandover([unit("R1")], DISTRIBUTOR, PHARMACY, domain)),
        receiverSignature: undefined,
      }),
      error: ValidationError,
      message: /^\/receiverSignature: Required/,
    },
    {
      name: "a receiver signature made by the sender",
      body: async () => {
        const b = await signHandover([unit("R2")], DISTRIBUTOR, PHARMACY, domain);
        return { ...b, receiverSignature: b.senderSignature };
      },
      error: UnauthorizedError,
      message: /^receiverSignature: not 0x90F79/,
    },
    {
      name: "an item list that is not the signed one",
      body: async () => ({ ...(await signHandover([unit("R3")], DISTRIBUTOR, PHARMACY, domain)), items: [unit("R4")] }),
      error: ValidationError,
      message: /^\/handover\/itemsRoot/,
    },
    {
      name: "a passed deadline",
      body: () => signHandover([unit("R5")], DISTRIBUTOR, PHARMACY, domain, { deadline: now - 10 }),
      error: ValidationError,
      message: /^\/handover\/deadline: passed/,
    },
    {
      name: "an event time in the future",
      body: () => signHandover([unit("R6")], DISTRIBUTOR, PHARMACY, domain, { eventTime: now + 3600 }),
      error: ValidationError,
      message: /^\/handover\/eventTime/,
    },
    {
      name: "a receiver that is an auditor, not a custodian",
      body: () => signHandover([unit("R7")], DISTRIBUTOR, AUDITOR, domain),
      error: ForbiddenError,
      message: /^\/handover\/to: .* \(auditor\); relayer and auditor keys record nothing/,
    },
    {
      name: "a revoked sender key",
      body: () => signHandover([unit("R8")], REVOKED, PHARMACY, domain),
      error: UnauthorizedError,
      message: /^\/handover\/from: .* revoked/,
    },
    {
      name: "an unknown receiver key",
      body: () => signHandover([unit("R9")], DISTRIBUTOR, UNKNOWN, domain),
      error: UnauthorizedError,
      message: /^\/handover\/to: .* not a registered key/,
    },
    {
      name: "signatures for another chain",
      body: () => signHandover([unit("R10")], DISTRIBUTOR, PHARMACY, { ...domain, chainId: 1 }),
      error: UnauthorizedError,
      message: /^senderSignature: .* on chain 31337/,
    },
    {
      name: "a shipment reference that does not match its hash",
      body: async () => ({
        ...(await signHandover([unit("R11")], DISTRIBUTOR, PHARMACY, domain)),
        shipmentRef: "OTHER",
      }),
      error: ValidationError,
      message: /^\/shipmentRef/,
    },
    {
      name: "an unsalted (format 1) handover",
      body: async () => {
        const { salt: _salt, ...unsalted } = await signHandover([unit("R13")], DISTRIBUTOR, PHARMACY, domain);
        return unsalted;
      },
      error: ValidationError,
      message: /^\/salt: Required/,
    },
    {
      name: "a handover whose salt is not the one its items were signed with",
      body: async () => ({
        ...(await signHandover([unit("R14")], DISTRIBUTOR, PHARMACY, domain)),
        salt: `0x${"11".repeat(32)}`,
      }),
      error: ValidationError,
      message: /^\/handover\/itemsRoot/,
    },
    {
      name: "a handover to oneself",
      body: () => signHandover([unit("R12")], DISTRIBUTOR, DISTRIBUTOR, domain),
      error: ValidationError,
      message: /^\/handover\/to: the receiver must differ/,
    },
    {
      name: "an unknown field",
      body: async () => ({ ...(await signHandover([unit("R13")], DISTRIBUTOR, PHARMACY, domain)), extra: 1 }),
      error: ValidationError,
      message: /Unrecognized key/,
    },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name}`, async () => {
      const error = await refusal(checkHandover(await r.body(), options));
      expect(error).to.be.instanceOf(r.error);
      expect(error.message).to.match(r.message);
    });
  }
});
