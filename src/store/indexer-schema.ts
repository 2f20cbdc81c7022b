/**
 * The indexer's tables. Raw chain data (blocks and logs as the node served them) is kept apart
 * from the state derived from it, as Ponder does: every derived row carries the block it came
 * from, so rolling back a reorganisation is deleting the rows above the common ancestor, and a
 * rebuild is replaying the raw logs.
 */
export interface IndexerTables {
  /** raw: the header of every block the indexer processed logs of (and each range's last block) */
  chain_blocks: { number: number; hash: string; parent_hash: string; timestamp: number };
  /** raw: every log of the three contracts, as served */
  chain_logs: {
    block_number: number;
    log_index: number;
    transaction_hash: string;
    address: string;
    /** JSON array of topics */
    topics: string;
    data: string;
  };
  /** the last block fully processed (id is always 1) */
  sync_state: { id: number; block_number: number; block_hash: string };

  participants: { id: number; kind: number; gln: string; name: string; block_number: number };
  /** activations, deactivations, keys added and revoked, prefixes assigned and unassigned: facts over time */
  registry_events: {
    block_number: number;
    log_index: number;
    kind: "deactivated" | "reactivated" | "key_added" | "key_revoked" | "prefix_assigned" | "prefix_unassigned";
    participant: number;
    /** the key (lowercase address) or the prefix; empty for status changes */
    subject: string;
  };
  orders: {
    id: number;
    brand: number;
    producer: number;
    gtin: string;
    planned: number;
    lot: string;
    expiry: number;
    erp_reference: string;
    block_number: number;
    transaction_hash: string;
  };
  batches: {
    id: number;
    order_id: number;
    root: string;
    count: number;
    content_cid: string;
    block_number: number;
    transaction_hash: string;
  };
  /** amendments, closures, voids and recalls of orders and batches */
  serial_events: {
    block_number: number;
    log_index: number;
    kind:
      | "amended"
      | "closed"
      | "voided"
      | "order_recalled"
      | "order_recall_lifted"
      | "batch_recalled"
      | "batch_recall_lifted";
    order_id: number | null;
    batch_id: number | null;
    /** amended: the new planned quantity; voided: the count */
    quantity: number | null;
    /** voided: the voided leaves' root */
    root: string | null;
    /** voided and recalled: the notice's CID */
    cid: string | null;
  };
  commitments: {
    relayer: number;
    sequence: number;
    root: string;
    event_count: number;
    content_cid: string;
    previous_hash: string;
    hash: string;
    block_number: number;
    transaction_hash: string;
  };
  /** what fetching and checking a CID found: pending until fetched, then valid or invalid (with why) */
  content_checks: {
    /** "batch:<id>" or "commitment:<relayer>:<sequence>" */
    subject: string;
    cid: string;
    status: "pending" | "valid" | "invalid";
    detail: string;
    attempts: number;
    block_number: number;
  };

  /** the entries of checked commitments: each capture, valid or not (with why) */
  captures: {
    digest: string;
    relayer: number;
    sequence: number;
    submitter: string;
    participant: number;
    valid: number;
    detail: string;
    event_count: number;
    issued_at: string;
    /** JSON: what a proof of its events needs (typed data, signature, every event hash, @context) */
    proof_data: string;
    block_number: number;
  };
  /** the events of valid captures (not those left out at intake) */
  capture_events: {
    digest: string;
    position: number;
    event_hash: string;
    event_type: string;
    event_time: string;
    /** eventTime in ms since the epoch, for time-range queries */
    time_ms: number;
    biz_step: string;
    disposition: string;
    read_point: string;
    action: string;
    /** the event as captured, JSON */
    event: string;
    block_number: number;
  };
  /** which identifiers each event names, canonical (GS1 Digital Link), and in what role */
  event_epcs: {
    digest: string;
    position: number;
    epc: string;
    role: "epc" | "parent" | "child" | "input" | "output";
    block_number: number;
  };
  handovers: {
    digest: string;
    relayer: number;
    sequence: number;
    handover_id: string;
    sender: string;
    receiver: string;
    sender_participant: number;
    receiver_participant: number;
    event_time: string;
    valid: number;
    detail: string;
    /** JSON: what a proof of it needs (typed data, both signatures, the items as signed) */
    proof_data: string;
    block_number: number;
  };
  handover_items: { digest: string; position: number; item: string; block_number: number };
  /** every entry of a checked commitment, in content order (the commitment tree's values) */
  commitment_entries: {
    relayer: number;
    sequence: number;
    position: number;
    kind: "capture" | "handover";
    digest: string;
    block_number: number;
  };
  /** every released code's leaf, from checked leaf files: which batch, and its rank in the leaf file */
  code_leaves: { leaf: string; batch_id: number; rank: number; block_number: number };

  /** each code's state after every fact that changed it, in ledger order (the latest is current) */
  code_history: {
    epc: string;
    /** the fact's place in ledger order: block, relayer, sequence, entry, event, change (zero-padded) */
    ordinal: string;
    cause: string;
    /** the event hash or handover digest */
    ref: string;
    participant: number;
    time: number;
    place: string;
    commissioned: number;
    ended: string;
    holder: number;
    parent: string;
    last_time: number;
    last_place: string;
    block_number: number;
  };
  /** what the lifecycle rules found on the ledger */
  anomalies: {
    id: string;
    kind: string;
    epc: string;
    ref: string;
    detail: string;
    ordinal: string;
    time: number;
    block_number: number;
  };
  /** commitments whose entries the lifecycle rules have applied */
  lifecycle_progress: { relayer: number; sequence: number; block_number: number };

  /** off-chain: consumer verifications counted by the proof endpoint (not derived, not in the digest) */
  verifications: { epc: string; at: number; region: string; client: string };
  /** off-chain: codes verified too often or from too many regions */
  clone_alerts: { id: string; epc: string; detail: string; verifications: number; regions: number; at: number };
  /** off-chain: lookups of codes never released, per salted client hash (not verifications) */
  unknown_lookups: { client: string; at: number };
  /** off-chain: clients that looked up too many codes never released (an enumeration attempt) */
  enumeration_alerts: { id: string; client: string; detail: string; lookups: number; at: number };
  /** visitors' reports of suspect packs: what they typed, and a salted hash of their address */
  suspect_reports: {
    id: string;
    epc: string;
    verdict: string;
    bought_at: string;
    what: string;
    contact: string;
    visitor: string;
    at: number;
  };
  /** off-chain: each anomaly's delivery to each configured webhook */
  webhook_deliveries: {
    anomaly_id: string;
    url: string;
    status: "pending" | "delivered" | "failed";
    attempts: number;
    next_attempt_at: number;
    last_error: string;
  };
  /** EPCIS named queries: the query language's parameters (JSON), as their owner defined them */
  epcis_queries: { name: string; owner: number; params: string; created_at: string };
  /** EPCIS query subscriptions: a stream (each new matching event) or a schedule (JSON, cron-like) */
  epcis_subscriptions: {
    id: string;
    query_name: string;
    owner: number;
    dest: string;
    /** the subscriber's secret: each delivery's GS1-Signature is keyed with it */
    signature_token: string;
    stream: number;
    schedule: string;
    report_if_empty: number;
    /** events recorded before this are not reported (ISO 8601; "" for from the subscription on) */
    initial_record_time: string;
    created_at: string;
    /** unix seconds of the last scheduled run (a schedule fires once a second at most) */
    last_run_at: number;
    last_notified_at: string;
  };
  /** the events a subscription has reported (digest:position), so each goes out once */
  subscription_seen: { subscription_id: string; event_key: string };
  /** each report to a subscriber, stored before it is sent, retried until delivered */
  subscription_deliveries: {
    id: string;
    subscription_id: string;
    body: string;
    status: "pending" | "delivered" | "failed";
    attempts: number;
    next_attempt_at: number;
    last_error: string;
    created_at: number;
  };
}
