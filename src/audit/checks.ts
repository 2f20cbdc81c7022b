/**
 * The invariants the audit proves or refutes, in the order the report lists them, and the kinds of
 * violation each can find. A violation's kind names what was seen; its check names the promise broken.
 */
export const CHECKS = {
  order_limits:
    "Releases stay within each order's planned quantity at every block, and the contract refused what went past it",
  release_content: "Every release's leaf file rebuilds its on-chain root and count",
  voids: "Every void notice rebuilds its on-chain root and count and voids only codes of its batch",
  commitment_chain: "Each relayer's commitments form an unbroken hash chain, sequence by sequence",
  commitment_content: "Every commitment's published content rebuilds its on-chain root and event count",
  captures:
    "Every capture is signed by a key active when committed, its events' CBV 2.0 hashes give the signed root, and each event's disclosed parts are the event's own",
  rejections: "Every event a relayer left out of the ledger as invalid fails the EPCIS 2.0 schema",
  handovers: "Every custody handover is signed by both parties with active keys of custody-holding participants",
  custody:
    "Only the participant holding a code (directly or through a container) changed its state or custody, only its order's producer or brand commissioned a released unit, and relayer and auditor keys recorded nothing",
  commissioning: "Every commissioned code is in a released batch, commissioned once, and never a voided code",
  after_end: "Nothing moves after it was sold, dispensed or decommissioned",
  travel: "No code is seen in two places faster than goods can travel",
  recalls: "No unit is sold or dispensed while its order or batch is recalled",
  reconciliation: "Per order: released = commissioned + voided + unused",
} as const;
export type CheckId = keyof typeof CHECKS;
export const CHECK_IDS = Object.keys(CHECKS) as CheckId[];

/** Each kind of violation: the check it breaks and a title for people. */
export const VIOLATION_KINDS = {
  release_over_plan: { check: "order_limits", title: "Released more codes than the order planned" },
  release_after_close: { check: "order_limits", title: "Released codes after the order was closed" },
  plan_below_released: { check: "order_limits", title: "Order amended below what was already released" },
  release_content_mismatch: { check: "release_content", title: "Leaf file does not match the on-chain release" },
  code_released_twice: { check: "release_content", title: "The same code released in two batches" },
  void_notice_mismatch: { check: "voids", title: "Void notice does not match the on-chain void" },
  commitment_chain_broken: { check: "commitment_chain", title: "Relayer's commitment chain is broken" },
  commitment_content_mismatch: {
    check: "commitment_content",
    title: "Published content does not match the commitment",
  },
  capture_forged: { check: "captures", title: "Capture signature or events do not hold" },
  capture_key_not_active: { check: "captures", title: "Capture signed by a key that was not active" },
  capture_inconsistent: {
    check: "captures",
    title: "Capture's submitter signed disclosure parts its own events contradict",
  },
  event_withheld: { check: "rejections", title: "Valid event left out by the relayer" },
  handover_forged: { check: "handovers", title: "Handover signatures or items do not hold" },
  handover_key_not_active: {
    check: "handovers",
    title: "Handover signed by a key that was not active, or by a party holding no custody",
  },
  handover_by_non_holder: { check: "custody", title: "Goods handed over by a party that did not hold them" },
  unauthorised_event: {
    check: "custody",
    title:
      "Event recorded by a party with no right to it (not the holder, not the code's producer or brand, or a relayer or auditor key)",
  },
  commission_outside_release: {
    check: "commissioning",
    title: "Code commissioned outside every released batch (overrun or counterfeit)",
  },
  double_commission: { check: "commissioning", title: "Code commissioned twice" },
  voided_code_commissioned: { check: "commissioning", title: "Voided code commissioned" },
  event_after_end: { check: "after_end", title: "Movement after sale or decommissioning" },
  impossible_travel: { check: "travel", title: "Impossible travel between two sightings" },
  sold_while_recalled: { check: "recalls", title: "Recalled unit sold or dispensed" },
  reconciliation_mismatch: { check: "reconciliation", title: "Order does not reconcile" },
} as const satisfies Record<string, { check: CheckId; title: string }>;
export type ViolationKind = keyof typeof VIOLATION_KINDS;
export const VIOLATION_KIND_IDS = Object.keys(VIOLATION_KINDS) as ViolationKind[];
