import type { ContractAddresses } from "../chain/deployment";
import type { AuditState } from "./audit-state";
import { CHECK_IDS, CHECKS } from "./checks";
import { violation } from "./ledger-audit";
import { AUDIT_REPORT_SCHEMA, type AuditReport, type Checkpoint, type OrderRow, type Violation } from "./report-schema";
import { IntegrityError } from "../core/errors";

const BRAND_KIND = 0;

export interface BuildReportOptions {
  state: AuditState;
  chainId: number;
  contracts: ContractAddresses;
  fromBlock: number;
  checkpoint: Checkpoint;
  since?: AuditReport["since"];
  generatedAt: Date;
}

/**
 * The report of a replayed state: the verdict and totals first, then each check, the brands'
 * orders with their reconciliation, the relayers' logs, and every violation with its evidence.
 */
export function buildReport(options: BuildReportOptions): AuditReport {
  const { state, checkpoint } = options;
  const orders = [...state.orders].map(([id, o]): OrderRow => {
    const unused = o.released - o.commissioned - o.voided;
    return {
      order: id,
      brand: o.brand,
      producer: o.producer,
      gtin: o.gtin,
      lot: o.lot,
      expiry: o.expiry,
      erpReference: o.erpReference,
      opened: o.opened,
      planned: o.planned,
      released: o.released,
      commissioned: o.commissioned,
      voided: o.voided,
      unused,
      exceptions: o.exceptions,
      balanced: unused >= 0 && o.exceptions === 0,
      closed: o.closed,
      recalled: o.recalled,
      batches: o.batches.map((b) => {
        const batch = state.batches.get(b);
        if (!batch) throw new IntegrityError(`order ${id} lists batch ${b}, which the state lacks`);
        return {
          batch: b,
          root: batch.root,
          count: batch.count,
          cid: batch.cid,
          block: batch.block,
          transaction: batch.transaction,
          commissioned: batch.commissioned,
          voided: batch.voided,
          recalled: batch.recalled,
        };
      }),
      refusedReleases: o.refused,
    };
  });
  // reconciliation is over the whole state: derived afresh each run, never carried in it
  const reconciliation: Violation[] = orders
    .filter((o) => o.unused < 0)
    .map((o) => ({
      ...violation(
        "reconciliation_mismatch",
        `Order ${o.order} released ${o.released} codes but ${o.commissioned} were commissioned and ${o.voided} voided: ${-o.unused} more than released.`,
        { block: o.opened.block, transaction: o.opened.transaction, order: o.order },
      ),
      new: options.since === undefined,
    }));
  const violations = [...state.violations, ...reconciliation];
  const checks = CHECK_IDS.map((id) => {
    const found = violations.filter((v) => v.check === id).length;
    const checked = id === "reconciliation" ? orders.length : state.checked[id];
    return { id, title: CHECKS[id], passed: found === 0, checked, violations: found };
  });
  const brandIds = new Set([
    ...[...state.participants].filter(([, p]) => p.kind === BRAND_KIND).map(([id]) => id),
    ...orders.map((o) => o.brand),
  ]);
  const brands = [...brandIds]
    .sort((a, b) => a - b)
    .map((id) => {
      const p = state.participants.get(id);
      return {
        participant: id,
        name: p?.name ?? `participant ${id}`,
        gln: p?.gln ?? "",
        prefixes: [...state.prefixes].filter(([, b]) => b === id).map(([prefix]) => prefix),
        orders: orders.filter((o) => o.brand === id),
      };
    });
  const relayers = [...state.relayers]
    .sort(([a], [b]) => a - b)
    .map(([id, r]) => ({
      participant: id,
      name: state.participants.get(id)?.name ?? `participant ${id}`,
      commitments: r.commitments,
      captures: r.captures,
      events: r.events,
      handovers: r.handovers,
      headSequence: r.sequence,
      headHash: r.hash,
    }));
  const batches = [...state.batches.values()];
  return {
    schema: AUDIT_REPORT_SCHEMA,
    generatedAt: options.generatedAt.toISOString(),
    verdict: violations.length ? "violations" : "clean",
    chain: {
      chainId: options.chainId,
      contracts: options.contracts,
      fromBlock: options.fromBlock,
      toBlock: checkpoint.block,
    },
    ...(options.since ? { since: options.since } : {}),
    checkpoint,
    totals: {
      participants: state.participants.size,
      orders: orders.length,
      batches: batches.length,
      codesReleased: batches.reduce((n, b) => n + b.count, 0),
      codesVoided: batches.reduce((n, b) => n + b.voided, 0),
      codesCommissioned: orders.reduce((n, o) => n + o.commissioned, 0),
      commitments: state.totals.commitments,
      captures: state.totals.captures,
      events: state.totals.events,
      handovers: state.totals.handovers,
      refusedReleases: orders.reduce((n, o) => n + o.refusedReleases.length, 0),
      violations: violations.length,
      newViolations: violations.filter((v) => v.new).length,
    },
    checks,
    brands,
    relayers,
    violations,
  };
}
