import type { Address } from "viem";
import { PARTICIPANT_KINDS, type ParticipantKindName } from "../core/custody/participant-kinds";
import type { LedgerReader } from "./ledger-reader";

/** A registered participant as the registry states it. */
export interface ParticipantFacts {
  id: number;
  kind: ParticipantKindName;
  gln: string;
  name: string;
  active: boolean;
}

/** What the chain says of the product a batch was released for. */
export interface ProductFacts {
  orderId: string;
  gtin: string;
  lot: string;
  /** YYYYMMDD (day 00: the end of the month), or null when the product does not expire */
  expiry: string | null;
  brand: ParticipantFacts | null;
  producer: ParticipantFacts | null;
}

/**
 * Facts a verifier shows beside the verdict, read from the chain rather than taken from a server:
 * who a signing key belongs to, and the order behind a batch. Answers are remembered per ledger
 * view, since a page asks about the same few participants many times.
 */
export class LedgerFacts {
  private readonly participants = new Map<number, Promise<ParticipantFacts | null>>();
  private readonly keys = new Map<string, Promise<ParticipantFacts | null>>();

  constructor(private readonly ledger: LedgerReader) {}

  /** The participant with this id, or null when there is none. */
  participant(id: number): Promise<ParticipantFacts | null> {
    let known = this.participants.get(id);
    if (!known) {
      known = this.readParticipant(id);
      this.participants.set(id, known);
    }
    return known;
  }

  /** The participant a key was registered to (whatever its standing today), or null. */
  participantOfKey(key: Address): Promise<ParticipantFacts | null> {
    const k = key.toLowerCase();
    let known = this.keys.get(k);
    if (!known) {
      known = this.ledger
        .read(() => this.ledger.registry.read.participantOfKey([key]))
        .then(([id]) => (id === 0 ? null : this.participant(id)));
      this.keys.set(k, known);
    }
    return known;
  }

  /** A GTIN's current product record on the chain: its CID and version (version 0: none published). */
  async productRecordOf(gtin: string): Promise<{ cid: string; version: number }> {
    const { ledger } = this;
    const [cid, version] = await ledger.read(() => ledger.serials.read.productRecord([BigInt(gtin)]));
    return { cid, version: Number(version) };
  }

  /** The order behind a released batch, with its brand and producer, or null for an unknown batch. */
  async productOfBatch(batchId: bigint): Promise<ProductFacts | null> {
    const { ledger } = this;
    const batch = await ledger.read(() => ledger.serials.read.batch([batchId]));
    if (batch.order === 0n) return null;
    const order = await ledger.read(() => ledger.serials.read.order([batch.order]));
    const [brand, producer] = await Promise.all([
      this.participant(order.brand),
      order.producer === 0 ? null : this.participant(order.producer),
    ]);
    return {
      orderId: batch.order.toString(),
      gtin: order.gtin.toString().padStart(14, "0"),
      lot: order.lot,
      expiry: order.expiry === 0 ? null : String(order.expiry),
      brand,
      producer,
    };
  }

  private async readParticipant(id: number): Promise<ParticipantFacts | null> {
    const { ledger } = this;
    if (id < 1) return null;
    // asked together; the participant read fails for an id beyond the count
    const [count, record] = await Promise.allSettled([
      ledger.read(() => ledger.registry.read.participantCount()),
      ledger.read(() => ledger.registry.read.participant([id])),
    ]);
    if (count.status === "rejected") throw count.reason;
    if (id > count.value) return null;
    if (record.status === "rejected") throw record.reason;
    const p = record.value;
    return {
      id,
      kind: PARTICIPANT_KINDS[p.kind] ?? "brand",
      gln: p.gln.toString().padStart(13, "0"),
      name: p.name,
      active: p.active,
    };
  }
}
