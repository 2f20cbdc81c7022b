import type { Generated } from "kysely";

/**
 * The relayer's tables. Captures and handovers are both "entries" of a commitment; an entry is
 * keyed by its EIP-712 digest, so the same signed submission can only ever be stored once.
 */
export interface RelayerTables {
  entries: {
    /** EIP-712 digest of the Capture or Handover, 0x-hex: the id a submitter gets back */
    digest: string;
    kind: "capture" | "handover";
    /** the submitter's address (the sender for a handover) */
    submitter: string;
    /** the capture's nonce (a handover's id): one signed entry per nonce and submitter */
    nonce: string;
    /** the request as accepted, JSON: document or handover, typed data and signatures */
    body: string;
    event_count: number;
    /** null while queued */
    batch_sequence: number | null;
    received_at: string;
    /** arrival order: batches take entries first come, first served */
    seq: Generated<number>;
  };
  entry_events: {
    digest: string;
    position: number;
    /** the event's CBV 2.0 hash, 0x-hex */
    event_hash: string;
  };
  handover_proposals: {
    /** the EIP-712 digest of the ParticipantHandover: the handover's id once accepted */
    id: string;
    from_participant: number;
    to_participant: number;
    /** the handover's own id (one proposal per id and sender) */
    handover_id: string;
    /** the proposal as the sender signed it (HandoverProposalJson) */
    body: string;
    item_count: number;
    /** unix seconds after which it can no longer be accepted */
    deadline: number;
    /** proposed -> accepted | rejected | withdrawn (expired is proposed past its deadline) */
    status: "proposed" | "accepted" | "rejected" | "withdrawn";
    /** the key that signed the sender's half */
    proposed_by: string;
    proposed_at: string;
    /** the key that accepted, rejected or withdrew, and when */
    acted_by: string | null;
    acted_at: string | null;
    /** why it was rejected or withdrawn, as its party signed it */
    reason: string | null;
    /** the signed request that acted on it (Trackroot-Signature), kept as evidence */
    act_signature: string | null;
  };
  batches: {
    /** the relayer's on-chain sequence number this batch commits as */
    sequence: number;
    root: string;
    entry_count: number;
    event_count: number;
    previous_hash: string;
    /** built -> published -> sent -> committed */
    status: "built" | "published" | "sent" | "committed";
    content_cid: string | null;
    /** the latest transaction sent for it (a replacement supersedes the one before) */
    transaction: string | null;
    /** that transaction's nonce, so a stuck one can be replaced under the same nonce */
    tx_nonce: number | null;
    sent_at: string | null;
    block_number: string | null;
    commitment_hash: string | null;
    created_at: string;
  };
}

/** The participant gateway's outbox: captures it acknowledged, until a relayer committed them. */
export interface GatewayTables {
  gateway_captures: {
    /** the capture job's id, as GET /capture/{captureID} names it */
    id: string;
    /** the client system (API token name) that posted it; only it reads the job */
    client: string;
    /** the EPCIS document as the exact text that came in: what is signed and forwarded */
    document: string;
    behaviour: "rollback" | "proceed";
    /** pending (to forward) -> forwarded (awaiting commitment) -> committed | failed */
    status: "pending" | "forwarded" | "committed" | "failed";
    /** the signed envelope (SignedCaptureEnvelope, issuedAt as a string), set before the first send */
    envelope: string | null;
    /** the capture's EIP-712 digest: its id at every relayer */
    digest: string | null;
    /** JSON array of the relayer URLs it was sent to, in order */
    sent_to: string;
    /** which of the configured relayers it goes to next */
    relayer_index: number;
    attempts: number;
    /** unix ms: when the forwarder looks at it again */
    next_attempt_at: number;
    /** unix ms: when it was last accepted by a relayer */
    forwarded_at: number | null;
    /** JSON array of RFC 9457 problems (a refusal, or events left out under proceed) */
    errors: string;
    /** JSON of the relayer's status once committed (batch, block, transaction) */
    receipt: string | null;
    created_at: string;
    finished_at: string | null;
  };
}
