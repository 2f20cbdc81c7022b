import type { Hash } from "viem";
import type { Ledger } from "../chain/ledger";
import { ValidationError } from "../core/errors";
import { erpReferenceHash, type OrderInput, type ProducerRef } from "../core/orders/order-input";

/** A registry record as the contract returns it. */
type Participant = Awaited<ReturnType<Ledger["registry"]["read"]["participant"]>>;

/** Participant kinds the contract lets produce an order (ParticipantKind.Brand and .Producer). */
const PRODUCING_KINDS = new Set([0, 1]);

/** What a brand's signer needs to check orders before sending them. */
export class OrderDesk {
  private directory?: Promise<Participant[]>;

  private constructor(
    private readonly ledger: Ledger,
    /** the signer's own participant: the brand the orders open under */
    readonly brand: number,
  ) {}

  static async of(ledger: Ledger): Promise<OrderDesk> {
    const [brand, active] = await ledger.read(() => ledger.registry.read.participantOfKey([ledger.account.address]));
    if (brand === 0 || !active) {
      throw new ValidationError("keystore", ledger.account.address, "is not an active key of a registered participant");
    }
    return new OrderDesk(ledger, brand);
  }

  /** The producer's participant id; the brand itself when none is given. */
  async producerId(ref: ProducerRef | undefined): Promise<number> {
    if (ref === undefined) return this.brand;
    if ("id" in ref) return ref.id;
    const index = (await this.participants()).findIndex((p) => p.gln.toString().padStart(13, "0") === ref.gln);
    const id = index < 0 ? undefined : index + 1;
    if (id === undefined) throw new ValidationError("producer", ref.gln, "no participant has this GLN");
    return id;
  }

  /** Every chain-side reason the contract would refuse `order`, as field errors. */
  async problemsOf(order: OrderInput): Promise<ValidationError[]> {
    const problems: ValidationError[] = [];
    const owner = await this.ledger.read(() => this.ledger.registry.read.brandOfGtin([BigInt(order.gtin)]));
    if (owner !== this.brand) {
      problems.push(
        new ValidationError(
          "gtin",
          order.gtin,
          owner === 0
            ? "no brand holds its company prefix"
            : `its company prefix belongs to participant ${owner}, not ${this.brand}`,
        ),
      );
    }
    let producer: number | undefined;
    try {
      producer = await this.producerId(order.producer);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      problems.push(e);
    }
    if (producer !== undefined) {
      const p = (await this.participants())[producer - 1];
      if (!p) problems.push(new ValidationError("producer", producer, "no such participant"));
      else if (!p.active) problems.push(new ValidationError("producer", producer, `${p.name} is deactivated`));
      else if (!PRODUCING_KINDS.has(p.kind)) {
        problems.push(new ValidationError("producer", producer, `${p.name} is not a producer or brand`));
      }
    }
    return problems;
  }

  /** The order an ERP reference already opened under this brand, if any. */
  async existingOrder(erpRef: string | undefined): Promise<bigint | undefined> {
    if (erpRef === undefined) return undefined;
    const id = await this.ledger.read(() =>
      this.ledger.serials.read.orderOfErpReference([this.brand, erpReferenceHash(erpRef)]),
    );
    return id === 0n ? undefined : id;
  }

  /** Opens one order on-chain. */
  async open(order: OrderInput): Promise<{ order: bigint; transaction: Hash }> {
    const producer = await this.producerId(order.producer);
    const { result, hash } = await this.ledger.write(() =>
      this.ledger.serials.simulate.openOrder([
        BigInt(order.gtin),
        BigInt(order.quantity),
        order.lot,
        order.expiry,
        producer,
        erpReferenceHash(order.erpRef),
      ]),
    );
    return { order: result, transaction: hash };
  }

  /** The registry's participants, read once per desk (one command): index id - 1. */
  private participants(): Promise<Participant[]> {
    this.directory ??= (async () => {
      const count = await this.ledger.read(() => this.ledger.registry.read.participantCount());
      const list: Participant[] = [];
      for (let id = 1; id <= count; id++)
        list.push(await this.ledger.read(() => this.ledger.registry.read.participant([id])));
      return list;
    })();
    return this.directory;
  }
}
