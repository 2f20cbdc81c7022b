import { ethers } from "hardhat";
import { gs1CheckDigit } from "../../src/core/gs1/check-digit";

/** Participant kinds, in the order of contracts/types/Ids.sol. */
export const Kind = { Brand: 0, Producer: 1, Custodian: 2, Retailer: 3, Relayer: 4, Auditor: 5 } as const;

/** A valid 13-digit GLN from a 12-digit body. */
export const gln = (body12: string): bigint => BigInt(body12 + gs1CheckDigit(body12));

export const BRAND_PREFIX = "0614141";
export const OTHER_PREFIX = "4012345";
/** GTIN-14s under each prefix, with valid check digits. */
export const GTIN = 10614141073464n;
export const OTHER_GTIN = 4012345111118n;

/**
 * The whole ledger on Hardhat's in-process chain: the three contracts wired, and one participant of
 * each kind with one key each (plus a second brand). Ids follow registration order.
 */
export async function deployLedger() {
  const [governor, brandKey, producerKey, senderKey, receiverKey, relayerKey, otherBrandKey, outsider, spareKey] =
    await ethers.getSigners();
  const registry = await ethers.deployContract("ParticipantRegistry", [governor.address]);
  const serials = await ethers.deployContract("SerialRegistry", [await registry.getAddress()]);
  const log = await ethers.deployContract("CommitmentLog", [await registry.getAddress()]);

  const ids = {
    brand: 1n,
    producer: 2n,
    sender: 3n,
    receiver: 4n,
    relayer: 5n,
    otherBrand: 6n,
    auditor: 7n,
  };
  await registry.registerParticipant(Kind.Brand, gln("061414100000"), "Acme Pharma");
  await registry.registerParticipant(Kind.Producer, gln("061414100001"), "Contract Maker Ltd");
  await registry.registerParticipant(Kind.Custodian, gln("401234500000"), "North Distribution");
  await registry.registerParticipant(Kind.Custodian, gln("401234500001"), "South Pharmacy Wholesale");
  await registry.registerParticipant(Kind.Relayer, gln("401234500002"), "Relay One");
  await registry.registerParticipant(Kind.Brand, gln("401234500003"), "Other Brand");
  await registry.registerParticipant(Kind.Auditor, gln("401234500004"), "Regulator");
  await registry.addKey(ids.brand, brandKey.address);
  await registry.addKey(ids.producer, producerKey.address);
  await registry.addKey(ids.sender, senderKey.address);
  await registry.addKey(ids.receiver, receiverKey.address);
  await registry.addKey(ids.relayer, relayerKey.address);
  await registry.addKey(ids.otherBrand, otherBrandKey.address);
  await registry.assignPrefix(BRAND_PREFIX, ids.brand);
  await registry.assignPrefix(OTHER_PREFIX, ids.otherBrand);

  return {
    registry,
    serials,
    log,
    ids,
    signers: { governor, brandKey, producerKey, senderKey, receiverKey, relayerKey, otherBrandKey, outsider, spareKey },
  };
}

/** The ledger with one open order of 1,000 units by the brand, made by the producer. */
export async function deployWithOrder() {
  const ledger = await deployLedger();
  const { serials, signers, ids } = ledger;
  await serials
    .connect(signers.brandKey)
    .openOrder(GTIN, 1000, "LOT-42", 20271231, ids.producer, ethers.id("ERP-0001"));
  return { ...ledger, orderId: 1n };
}
