import type { Address, Hex } from "viem";
import { z } from "zod";
import { HandoverSchema } from "../core/proof/bundle";
import { handoverDigest, verifyHandoverSignatures, type CustodyDomain, type Handover } from "../core/custody/eip712";
import { handoverItemsTree, shipmentRefHashOf } from "../core/custody/handover-items";
import { UnauthorizedError, ValidationError } from "../core/errors";
import type { IntakeOptions } from "./capture-intake";
import { activeParticipant } from "./key-checks";

/** A hex string of one shape, typed as viem's Hex once it has passed. */
const hex = (pattern: RegExp, message: string) =>
  z
    .string()
    .regex(pattern, message)
    .transform((s) => s as Hex);
const signature = hex(/^0x[0-9a-fA-F]{130}$/, "must be a 0x-prefixed 65-byte signature");
const seconds = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/)], {
  errorMap: () => ({ message: "must be seconds since the epoch" }),
});

/** The body of POST /handovers: the EIP-712 Handover as both parties signed it, its items and signatures. */
export const HandoverRequestSchema = z.strictObject({
  // the signed message as a proof bundle carries it, its times also accepted as numbers
  handover: HandoverSchema.extend({ eventTime: seconds, deadline: seconds }),
  /** the units or containers changing hands: GS1 Digital Link or EPC URN instance identifiers */
  items: z.array(z.string()).min(1),
  /** the shipment reference in clear (a despatch advice number); must hash to shipmentRefHash */
  shipmentRef: z.string().max(200).optional(),
  /**
   * handover format 2: the salt of the items' leaves and of the shipment reference's hash. Required:
   * an unsalted list would let a public proof of one item be tried against guessable SSCCs
   */
  salt: hex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex string"),
  senderSignature: signature,
  receiverSignature: signature,
});
export type HandoverRequest = z.infer<typeof HandoverRequestSchema>;

export interface HandoverIntakeOptions extends Omit<IntakeOptions, "maxAgeSeconds"> {
  domain: CustodyDomain;
}

/** A handover that passed every check, ready to store. */
export interface AcceptedHandover {
  digest: Hex;
  handover: Handover;
  request: HandoverRequest;
  sender: number;
  receiver: number;
}

/**
 * Checks a co-signed custody handover: its shape; the deadline not passed and the event time not in
 * the future; both EIP-712 signatures (low-s) over the stated items root, and both keys active keys
 * of participants that hold custody; only then its items (instance identifiers, no repeats) against
 * itemsRoot and itemCount, and the shipment reference against its hash. A handover signed by one
 * side only is refused.
 */
export async function checkHandover(body: unknown, options: HandoverIntakeOptions): Promise<AcceptedHandover> {
  const parsed = HandoverRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const pointer = "/" + issue.path.join("/");
    throw new ValidationError(pointer, valueAt(body, issue.path), issue.message);
  }
  const request = parsed.data;
  const h = request.handover;
  const handover: Handover = {
    handoverId: h.handoverId.toLowerCase() as Hex,
    from: h.from as Address,
    to: h.to as Address,
    itemsRoot: h.itemsRoot.toLowerCase() as Hex,
    itemCount: h.itemCount,
    shipmentRefHash: h.shipmentRefHash.toLowerCase() as Hex,
    eventTime: BigInt(h.eventTime),
    deadline: BigInt(h.deadline),
  };
  if (handover.from.toLowerCase() === handover.to.toLowerCase()) {
    throw new ValidationError("/handover/to", h.to, "the receiver must differ from the sender");
  }
  const now = BigInt(Math.floor(options.now() / 1000));
  if (handover.deadline <= now) {
    throw new ValidationError("/handover/deadline", h.deadline, `passed ${now - handover.deadline} s ago`);
  }
  if (handover.eventTime > now + BigInt(options.maxSkewSeconds)) {
    throw new ValidationError("/handover/eventTime", h.eventTime, `is ${handover.eventTime - now} s in the future`);
  }

  if (request.items.length > options.maxEvents) {
    throw new ValidationError(
      "/items",
      `${request.items.length} items`,
      `a handover holds at most ${options.maxEvents} items`,
    );
  }
  // authenticated before any work that grows with the body: both signatures over the stated root
  const signed = await verifyHandoverSignatures(
    options.domain,
    handover,
    request.senderSignature,
    request.receiverSignature,
  );
  const where = `on chain ${options.domain.chainId}, contract ${options.domain.verifyingContract}`;
  if (!signed.sender) {
    throw new UnauthorizedError(`senderSignature: not ${handover.from}'s EIP-712 Handover signature ${where}`);
  }
  if (!signed.receiver) {
    throw new UnauthorizedError(`receiverSignature: not ${handover.to}'s EIP-712 Handover signature ${where}`);
  }
  const sender = await activeParticipant(options.registry, handover.from, "/handover/from");
  const receiver = await activeParticipant(options.registry, handover.to, "/handover/to");
  const salt = request.salt.toLowerCase() as Hex;
  const tree = handoverItemsTree(request.items, salt);
  if (tree.root !== handover.itemsRoot) {
    throw new ValidationError("/handover/itemsRoot", h.itemsRoot, `the items' root is ${tree.root}`);
  }
  if (request.items.length !== handover.itemCount) {
    throw new ValidationError("/handover/itemCount", h.itemCount, `the list holds ${request.items.length} items`);
  }
  if (request.shipmentRef !== undefined && shipmentRefHashOf(request.shipmentRef, salt) !== handover.shipmentRefHash) {
    throw new ValidationError(
      "/shipmentRef",
      request.shipmentRef,
      "with the salt, does not hash (keccak256 of abi.encode(salt, shipmentRef)) to shipmentRefHash",
    );
  }
  return {
    digest: handoverDigest(options.domain, handover),
    handover,
    request,
    sender: sender.participant,
    receiver: receiver.participant,
  };
}

function valueAt(body: unknown, path: readonly (string | number)[]): unknown {
  let at = body;
  for (const key of path) at = (at as Record<string | number, unknown> | undefined)?.[key];
  return at;
}
